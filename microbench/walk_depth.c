/* walk.depth - how many memory references one TLB miss costs, for memory mapped with
 * each guest page size: counted structurally on the tables in use (the guest's own
 * page tables, and under a nestbench hypervisor the EPT too, through HC_WALK), beside
 * the worst-case formula (n+1)(m+1)-1 for n guest and m EPT levels (docs/method.md,
 * "Two-dimensional walk"). The tlb.chase records with the same page give the
 * measured penalty. */
#include "bench.h"
#include "hypercall.h"
#include "out.h"

static const uint64_t pages[] = { 4096, 2 << 20, 1 << 30 };

struct walk {
	const struct bench_env *env;
	void *mem;
	uint64_t page;
};

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	static struct walk w;

	if (variant >= sizeof(pages) / sizeof(pages[0]))
		return BENCH_DONE;
	w = (struct walk){ .env = env, .page = pages[variant] };
	snprintf(params, n, "page=%s", variant == 0 ? "4K" : variant == 1 ? "2M" : "1G");
	if (!env->walk) {
		*why = "cannot read its own page tables here";
		return BENCH_UNSUPPORTED;
	}
	w.mem = env->alloc(w.page, w.page, why);
	if (!w.mem)
		return BENCH_UNSUPPORTED;
	*state = &w;
	return BENCH_OK;
}

static void teardown(void *state)
{
	struct walk *w = state;

	w->env->free(w->mem, w->page);
}

static void count(void *state, const struct bench_env *env, char *buf, size_t n)
{
	struct walk *w = state;
	int guest_refs = 0, level = 0;
	long total, m = 0, ept_level = 0;

	env->walk(w->mem, &guest_refs, &level);
	total = guest_refs;
	if (env->nb_hypervisor) {
		uint64_t b = (uintptr_t)w->mem, c = 0, d = 0;
		total = hypercall_regs(HC_WALK, &b, &c, &d);
		if (total < 0) {
			snprintf(buf, n, "status=error hc_walk=%ld", total);
			return;
		}
		guest_refs = (int)b;
		m = (long)c;
		ept_level = (long)(d >> 8);
	}
	snprintf(buf, n, "guest_refs=%d guest_page_level=%d ept_refs=%ld ept_page_level=%ld "
		 "refs_walked=%ld refs_formula=%ld", guest_refs, level, m, ept_level, total,
		 (long)(guest_refs + 1) * (m + 1) - 1);
}

BENCH_CASE(walk_depth) = {
	.name = "walk.depth", .metric = "refs_per_miss", .setup = setup, .teardown = teardown,
	.count = count,
};
