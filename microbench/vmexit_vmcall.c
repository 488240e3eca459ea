/* vmexit.vmcall - the null hypercall (HC_NULL, lib/hypercall.h): the cheapest exit a
 * nestbench hypervisor serves. Elsewhere VMCALL means nothing, so it is unsupported. */
#include "bench.h"
#include "hypercall.h"

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	(void)state, (void)params, (void)n;
	if (variant)
		return BENCH_DONE;
	if (!env->nb_hypervisor) {
		*why = "needs a nestbench hypervisor below (the VMCALL ABI is ours)";
		return BENCH_UNSUPPORTED;
	}
	return BENCH_OK;
}

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
	.name = "vmexit.vmcall", .metric = "round_trip", .setup = setup, .run = run,
	.control = control,
};
