/* pt.invlpg - a page-table entry changed, its translation invalidated, the page
 * touched: in a kernel, the PTE pointed at another frame, INVLPG, and a read that
 * walks the tables again (a process: mprotect() toggling write permission, whose
 * kernel does the same, and the read). Under EPT the guest owns its page tables and
 * nothing of this exits; under shadow paging the write to the guest's table and the
 * INVLPG are the hypervisor's to see (exits= says how many there were). The control
 * loop makes the same call to a function that does nothing, and the same read. */
#include "bench.h"

static void run(void *s, uint64_t n)
{
	struct bench_page *pg = s;

	bench_page_loop(pg, pg->ops->remap, n);
}

BENCH_CASE(pt_invlpg) = {
	.name = "pt.invlpg", .metric = "round_trip", .setup = bench_page_setup, .run = run,
	.control = bench_page_control, .teardown = bench_page_teardown, .extra = bench_page_extra,
};
