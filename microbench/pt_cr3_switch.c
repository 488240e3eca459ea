/* pt.cr3_switch - a switch to another address space and a touch: MOV CR3 loads the
 * root of a second set of page tables that maps everything the first does (without
 * PCIDs the load flushes every non-global TLB entry), then a read that must walk
 * again. Iterations alternate between the two spaces. Under EPT the guest loads CR3
 * itself; under shadow paging each load is the hypervisor's (exits=). A process
 * cannot load CR3, and a context switch between two processes, which would, costs
 * far more than the load: natively unsupported. The control loop calls a function
 * that does nothing, and reads. */
#include "bench.h"

static void run(void *s, uint64_t n)
{
	struct bench_page *pg = s;

	bench_page_loop(pg, pg->ops->spaces_switch, n);
}

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	int r = bench_page_setup(env, variant, state, params, n, why);
	struct bench_page *pg = *state;

	if (r == BENCH_OK && pg->ops->spaces_new(pg, why)) {
		bench_page_teardown(pg);
		return BENCH_UNSUPPORTED;
	}
	if (r == BENCH_OK)
		pg->via = pg->ops->via_space;
	return r;
}

BENCH_CASE(pt_cr3_switch) = {
	.name = "pt.cr3_switch", .metric = "round_trip", .setup = setup, .run = run,
	.control = bench_page_control, .teardown = bench_page_teardown, .extra = bench_page_extra,
};
