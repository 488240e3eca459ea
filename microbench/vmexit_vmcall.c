/* vmexit.vmcall - the null hypercall (HC_NULL, lib/hypercall.h): the cheapest exit a
 * nestbench hypervisor serves. Elsewhere VMCALL means nothing, so it is unsupported. */
#include "bench.h"
#include "hypercall.h"

static void run(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint64_t a = HC_NULL;
		asm volatile("vmcall" : "+a"(a) : : "rbx", "rcx", "rdx", "memory");
	}
}

static void control(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint64_t a = HC_NULL;
		asm volatile("" : "+a"(a) : : "rbx", "rcx", "rdx", "memory");
	}
}

BENCH_CASE(vmexit_vmcall) = {
	.name = "vmexit.vmcall", .metric = "round_trip", .needs = BENCH_NEEDS_NESTBENCH, .run = run,
	.control = control,
};
