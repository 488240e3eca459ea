/* pt.cr3_switch - a switch to another address space and a touch: MOV CR3 loads the
 * root of a second set of page tables that maps everything the first does (without
 * PCIDs the load flushes every non-global TLB entry), then a read that must walk
 * again. Iterations alternate between the two spaces. Under EPT the guest loads CR3
 * itself; under shadow paging each load is the hypervisor's (exits=). A process
 * cannot load CR3, and a context switch between two processes, which would, costs
 * far more than the load: natively unsupported. The control loop calls a function
 * that does nothing, and reads. */
#include "bench.h"
#include "out.h"

struct spaces {
	struct bench_page *pg;
	void *spaces;
};

static void nothing(void *spaces)
{
	(void)spaces;
	asm volatile("" ::: "memory");
}

static void loop(const struct spaces *s, void (*volatile op)(void *), uint64_t n)
{
	for (; n; n--) {
		op(s->spaces);
		bench_touch(s->pg);
	}
}

static void run(void *s, uint64_t n)
{
	const struct spaces *sp = s;

	loop(sp, sp->pg->ops->spaces_switch, n);
}

static void control(void *s, uint64_t n)
{
	loop(s, nothing, n);
}

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	static struct spaces sp;
	int r = bench_page_setup(env, variant, state, params, n, why);

	if (r != BENCH_OK)
		return r;
	sp.pg = *state;
	sp.spaces = sp.pg->ops->spaces_new(why);
	if (!sp.spaces) {
		bench_page_teardown(sp.pg);
		return BENCH_UNSUPPORTED;
	}
	*state = &sp;
	return BENCH_OK;
}

static void teardown(void *s)
{
	struct spaces *sp = s;

	sp->pg->ops->spaces_free(sp->spaces);
	bench_page_teardown(sp->pg);
}

static void extra(void *s, const struct bench_env *env, char *buf, size_t n)
{
	(void)s;
	snprintf(buf, n, "via=%s", env->paging->via_space);
}

BENCH_CASE(pt_cr3_switch) = {
	.name = "pt.cr3_switch", .metric = "round_trip", .setup = setup, .run = run,
	.control = control, .teardown = teardown, .extra = extra,
};
