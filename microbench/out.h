/* out.h - printing for code built in both worlds (framework and cases): libc's
 * printf/snprintf hosted, the runtime's freestanding. */
#ifndef NB_BENCH_OUT_H
#define NB_BENCH_OUT_H
#ifdef NB_HOSTED
#include <stdio.h>
#include <string.h>
#else
#include "printf.h"
#include "string.h"
#endif
#endif
