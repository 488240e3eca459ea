/* pt.invlpg - a page-table entry changed, its translation invalidated, the page
 * touched: in a kernel, the PTE pointed at another frame, INVLPG, and a read that
 * walks the tables again (a process: mprotect() toggling write permission, whose
 * kernel does the same, and the read). Under EPT the guest owns its page tables and
 * nothing of this exits; under shadow paging the write to the guest's table and the
 * INVLPG are the hypervisor's to see (exits= says how many there were). The control
 * loop makes the same call to a function that does nothing, and the same read. */
#include "bench.h"
#include "out.h"

static void loop(struct bench_page *pg, void (*volatile op)(struct bench_page *), uint64_t n)
{
	for (; n; n--) {
		op(pg);
		bench_touch(pg);
	}
}

static void run(void *s, uint64_t n)
{
	struct bench_page *pg = s;

	loop(pg, pg->ops->remap, n);
}

static void control(void *s, uint64_t n)
{
	loop(s, bench_page_nothing, n);
}

static void extra(void *s, const struct bench_env *env, char *buf, size_t n)
{
	(void)s;
	snprintf(buf, n, "via=%s", env->paging->via_pte);
}

BENCH_CASE(pt_invlpg) = {
	.name = "pt.invlpg", .metric = "round_trip", .setup = bench_page_setup, .run = run,
	.control = control, .teardown = bench_page_teardown, .extra = extra,
};
