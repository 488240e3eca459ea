/* vmexit.cr8 - MOV to CR8 (the task-priority register): a control-register exit,
 * since a nestbench hypervisor keeps the guest's TPR virtual. Needs ring 0 and
 * long mode. */
#include "bench.h"

static void run(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--)
		asm volatile("mov %0, %%cr8" : : "r"(0ULL) : "memory");
}

static void control(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--)
		asm volatile("" : : "r"(0ULL) : "memory");
}

BENCH_CASE(vmexit_cr8) = {
	.name = "vmexit.cr8", .metric = "round_trip", .needs = BENCH_NEEDS_RING0, .run = run,
	.control = control,
};
