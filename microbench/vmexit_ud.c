/* vmexit.ud - an exception: UD2, delivered through the guest's IDT to its handler,
 * which resumes after it. Bare it is the CPU's exception delivery and return; under a
 * nestbench hypervisor with trap_ud=on it adds an exception exit and the reflection
 * of #UD back into the guest (the hv= field of the record says which). The control
 * loop makes the same indirect call to a function that does nothing. */
#include "bench.h"

static const struct bench_env *env;

static void nothing(void)
{
	asm volatile("" ::: "memory");
}

static int setup(const struct bench_env *e, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	(void)state, (void)params, (void)n;
	if (variant)
		return BENCH_DONE;
	if (!e->raise_ud) {
		*why = "cannot catch its own invalid-opcode fault (UD) here";
		return BENCH_UNSUPPORTED;
	}
	env = e;
	return BENCH_OK;
}

static void run(void *s, uint64_t n)
{
	void (*volatile op)(void) = env->raise_ud;

	(void)s;
	for (; n; n--)
		op();
}

static void control(void *s, uint64_t n)
{
	void (*volatile op)(void) = nothing;

	(void)s;
	for (; n; n--)
		op();
}

BENCH_CASE(vmexit_ud) = {
	.name = "vmexit.ud", .metric = "round_trip", .needs = BENCH_NEEDS_RING0, .setup = setup,
	.run = run, .control = control,
};
