/* bench_guest.h - the bench guest's platform hooks (env.c). */
#ifndef NB_BENCH_GUEST_H
#define NB_BENCH_GUEST_H
#include <stdint.h>
#include "bench.h"
void *guest_alloc(uint64_t size, uint64_t page_bytes, const char **why);
void guest_free(void *p, uint64_t size);
uint64_t guest_phys(const void *p);
int guest_walk(const void *p, int *refs, int *level);
/* The page-table events of the pt.* cases (paging.c). */
const struct bench_paging *guest_paging(void);
/* The counters events=0xCODE@NAME,... asks for (NULL when none); *bad when malformed. */
const struct bench_counters *guest_counters(const char *cmdline, int *bad);
#endif
