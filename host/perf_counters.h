/* perf_counters.h - hardware counters for the native runner (perf_counters.c). */
#ifndef NB_PERF_COUNTERS_H
#define NB_PERF_COUNTERS_H
#include "bench.h"
/* list: comma-separated libpfm4 event names; modified in place and kept referenced. */
const struct bench_counters *perf_counters_open(char *list);
#endif
