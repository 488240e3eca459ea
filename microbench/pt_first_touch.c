/* pt.first_touch - the first touch of a freshly mapped page: a present PTE written
 * where there was none, and a read that no TLB entry serves (the walk also sets the
 * new entry's accessed bit). In a kernel the PTE is written and, after the read,
 * cleared with INVLPG so the next iteration starts afresh; a process does the same
 * with mprotect() (read/write, then PROT_NONE). The control loop clears and
 * invalidates alike but maps nothing and reads nothing, so what remains is the
 * write of the entry and the walk. Under shadow paging the first touch is where a
 * hypervisor fills its shadow entry (a hidden page fault, exits=). */
#include "bench.h"

static void run(void *s, uint64_t n)
{
	struct bench_page *pg = s;
	void (*volatile map)(struct bench_page *) = pg->ops->map;
	void (*volatile unmap)(struct bench_page *) = pg->ops->unmap;

	for (; n; n--) {
		map(pg);
		bench_touch(pg);
		unmap(pg);
	}
}

static void control(void *s, uint64_t n)
{
	struct bench_page *pg = s;
	void (*volatile map)(struct bench_page *) = bench_page_nothing;
	void (*volatile unmap)(struct bench_page *) = pg->ops->unmap;

	for (; n; n--) {
		map(pg);
		unmap(pg);
	}
}

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	int r = bench_page_setup(env, variant, state, params, n, why);

	if (r == BENCH_OK) /* each iteration begins with the page unmapped */
		((struct bench_page *)*state)->ops->unmap(*state);
	return r;
}

BENCH_CASE(pt_first_touch) = {
	.name = "pt.first_touch", .metric = "round_trip", .setup = setup, .run = run,
	.control = control, .teardown = bench_page_teardown, .extra = bench_page_extra,
};
