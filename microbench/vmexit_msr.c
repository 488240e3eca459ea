/* vmexit.msr - RDMSR of IA32_FEATURE_CONTROL (0x3a), which a nestbench hypervisor traps
 * through its MSR bitmap (VMX is not offered to the guest). Needs ring 0, and a CPU
 * where the read does not fault. */
#include "bench.h"
#include "msr.h"

#define MSR MSR_IA32_FEATURE_CONTROL

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	uint64_t v;

	(void)state, (void)params, (void)n;
	if (variant)
		return BENCH_DONE;
	if (!env->rdmsr_safe || env->rdmsr_safe(MSR, &v)) {
		*why = "RDMSR of IA32_FEATURE_CONTROL faults on this CPU";
		return BENCH_UNSUPPORTED;
	}
	return BENCH_OK;
}

static void run(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint32_t lo, hi;
		asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR));
	}
}

static void control(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint32_t lo, hi;
		asm volatile("" : "=a"(lo), "=d"(hi) : "c"(MSR));
	}
}

BENCH_CASE(vmexit_msr) = {
	.name = "vmexit.msr", .metric = "round_trip", .needs = BENCH_NEEDS_RING0,
	.setup = setup, .run = run,
	.control = control,
};
