/* vmexit.cpuid - CPUID leaf 0, the exit every VT-x hypervisor must take (SDM 25.1.2):
 * the baseline round trip. Bare, it is the instruction's own cost. */
#include "bench.h"

static void run(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint32_t a = 0, b, c = 0, d;
		asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	}
}

static void control(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint32_t a = 0, b, c = 0, d;
		asm volatile("" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	}
}

BENCH_CASE(vmexit_cpuid) = {
	.name = "vmexit.cpuid", .metric = "round_trip", .run = run, .control = control,
};
