/* vmexit.mmio - a load from the MMIO test page of a nestbench hypervisor: an EPT
 * violation, a walk of the guest's page tables to fetch the instruction, its decode
 * and emulation. The page exists only there. */
#include "bench.h"
#include "hypercall.h"

static void run(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint64_t v;
		asm volatile("mov (%1), %0" : "=r"(v) : "r"(HV_MMIO_TEST_GPA) : "memory");
	}
}

static void control(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint64_t v;
		asm volatile("" : "=r"(v) : "r"(HV_MMIO_TEST_GPA) : "memory");
	}
}

BENCH_CASE(vmexit_mmio) = {
	.name = "vmexit.mmio", .metric = "round_trip",
	.needs = BENCH_NEEDS_RING0 | BENCH_NEEDS_NESTBENCH, .run = run,
	.control = control,
};
