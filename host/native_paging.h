/* native_paging.h - the native runner's page-table events (native_paging.c). */
#ifndef NB_NATIVE_PAGING_H
#define NB_NATIVE_PAGING_H
#include "bench.h"
const struct bench_paging *native_paging(void);
#endif
