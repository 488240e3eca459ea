/* pt.guest_fault - a page fault that the faulting code's own handler deals with: a
 * read of a page that is not present, delivered as #PF through the kernel's IDT to its
 * handler, which skips the read and returns (IRET). A process takes the analogue as
 * SIGSEGV on a PROT_NONE page, its handler skipping the read (via=sigsegv). Under
 * EPT the fault never leaves the guest; under shadow paging the hypervisor sees it
 * first and must decide that it is the guest's (exits=). The control loop calls a
 * function that does nothing instead. */
#include "bench.h"

static int nothing(struct bench_page *pg)
{
	(void)pg;
	asm volatile("" ::: "memory");
	return 0;
}

static void loop(struct bench_page *pg, int (*volatile op)(struct bench_page *), uint64_t n)
{
	for (; n; n--)
		op(pg);
}

static void run(void *s, uint64_t n)
{
	struct bench_page *pg = s;

	loop(pg, pg->ops->fault, n);
}

static void control(void *s, uint64_t n)
{
	loop(s, nothing, n);
}

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	int r = bench_page_setup(env, variant, state, params, n, why);
	struct bench_page *pg;

	if (r != BENCH_OK)
		return r;
	pg = *state;
	pg->via = pg->ops->via_fault;
	pg->ops->unmap(pg);
	if (pg->ops->fault(pg) != 14) { /* a touch that does not fault measures nothing */
		bench_page_teardown(pg);
		*why = "a touch of the unmapped page did not fault";
		return BENCH_UNSUPPORTED;
	}
	return BENCH_OK;
}

BENCH_CASE(pt_guest_fault) = {
	.name = "pt.guest_fault", .metric = "round_trip", .setup = setup, .run = run,
	.control = control, .teardown = bench_page_teardown, .extra = bench_page_extra,
};
