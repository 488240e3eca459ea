/* tlb.chase - the cost of a TLB miss, by pointer chasing (docs/method.md, "tlb.chase").
 *
 * The spread chain touches one cache line in each page of a span, in a random
 * cyclic order (no prefetcher can follow it), with the line offset rotating through
 * the page so the lines spread over cache sets. The control chain visits the same
 * number of lines in the same order, packed into consecutive lines: the same cache
 * footprint, a handful of pages. Run minus control is therefore what the pages cost:
 * the miss penalty per access, once the span passes the TLB's reach. The record adds
 * both chains' own cost per access.
 *
 * Variants: guest page size 4K/2M/1G x a sweep of spans. Under a hypervisor the EPT
 * page size is the hypervisor's choice (see hv= in the record). Under Bochs, whose
 * ticks count instructions, TLB misses cost nothing: the records say so by their
 * clock. */
#include "bench.h"
#include "out.h"

#define LINE 64
/* 256 KiB of lines: they fit the L2 cache of every core we target (256 KiB on
 * Skylake client cores is the tightest; Zen has 512 KiB, Skylake-SP 1 MiB). More
 * would mix cache misses into the TLB figure. */
#define MAX_LINES (1u << 12)

static const struct { uint64_t page, span; } variants[] = {
	{ 4096, 64 << 10 },  { 4096, 256 << 10 }, { 4096, 1 << 20 },   { 4096, 4 << 20 },
	{ 4096, 16 << 20 },  { 4096, 64 << 20 },
	{ 2 << 20, 4 << 20 }, { 2 << 20, 16 << 20 }, { 2 << 20, 64 << 20 },
	{ 2 << 20, 256 << 20 }, { 2 << 20, 1 << 30 },
	{ 1 << 30, 1 << 30 }, { 1ULL << 30, 4ULL << 30 },
};

/* Where the copies fit in LAYOUT_BYTES, the chains are built LAYOUTS times, each in
 * its own memory (other physical pages, other addresses), and each repetition runs on
 * the next copy: which physical pages a chain lands in changes its miss penalty
 * (the cache sets its page walks use), so a figure from one copy is partly that
 * copy's luck. Where the clock counts instructions (Bochs), a layout changes
 * nothing but the time spent building it: one copy. */
#define LAYOUTS 4
#define LAYOUT_BYTES (64ULL << 20)

struct chase {
	const struct bench_env *env;
	void **spread[LAYOUTS], **dense[LAYOUTS];
	uint8_t *spread_mem[LAYOUTS], *dense_mem[LAYOUTS];
	uint64_t spread_size, dense_size, lines, page;
	unsigned layouts, cur;
};

/* xorshift64: a fixed seed, so every platform chases the same order. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void link(void **slots[], uint64_t n, const uint32_t *order)
{
	for (uint64_t i = 0; i < n; i++)
		*slots[order[i]] = slots[order[(i + 1) % n]];
}

static const char *size_name(uint64_t b, char *buf, size_t n)
{
	if (b >= (1ULL << 30))
		snprintf(buf, n, "%lluG", (unsigned long long)(b >> 30));
	else if (b >= (1 << 20))
		snprintf(buf, n, "%lluM", (unsigned long long)(b >> 20));
	else
		snprintf(buf, n, "%lluK", (unsigned long long)(b >> 10));
	return buf;
}

static void teardown(void *state)
{
	struct chase *c = state;

	for (unsigned i = 0; i < LAYOUTS; i++) {
		if (c->spread_mem[i])
			c->env->free(c->spread_mem[i], c->spread_size);
		if (c->dense_mem[i])
			c->env->free(c->dense_mem[i], c->dense_size);
	}
}

/* One copy of both chains in fresh memory, visiting the lines in `order`; 0 or
 * BENCH_UNSUPPORTED with *why. */
static int build(struct chase *c, unsigned i, const uint32_t *order, void ***slots,
		 const char **why)
{
	c->spread_mem[i] = c->env->alloc(c->spread_size, c->page, why);
	if (!c->spread_mem[i])
		return BENCH_UNSUPPORTED;
	c->dense_mem[i] = c->env->alloc(c->dense_size, c->page, why);
	if (!c->dense_mem[i])
		return BENCH_UNSUPPORTED;
	for (uint64_t k = 0; k < c->lines; k++)
		slots[k] = (void **)(c->spread_mem[i] + k * c->page + (k * LINE) % c->page);
	link(slots, c->lines, order);
	c->spread[i] = slots[order[0]];
	for (uint64_t k = 0; k < c->lines; k++)
		slots[k] = (void **)(c->dense_mem[i] + k * LINE);
	link(slots, c->lines, order);
	c->dense[i] = slots[order[0]];
	return BENCH_OK;
}

static int setup(const struct bench_env *env, unsigned variant, void **state, char *params,
		 size_t n, const char **why)
{
	static struct chase c;
	static uint32_t order[MAX_LINES];
	static void **slots[MAX_LINES];
	char p[16], s[16];

	if (variant >= sizeof(variants) / sizeof(variants[0]))
		return BENCH_DONE;
	c = (struct chase){ .env = env, .page = variants[variant].page };
	c.spread_size = variants[variant].span;
	c.lines = c.spread_size / c.page;
	snprintf(params, n, "page=%s span=%s lines=%llu", size_name(c.page, p, sizeof(p)),
		 size_name(c.spread_size, s, sizeof(s)), (unsigned long long)c.lines);
	if (c.lines > MAX_LINES) {
		*why = "more lines than stay cache-resident";
		return BENCH_UNSUPPORTED;
	}
	c.dense_size = c.lines * LINE;
	/* A random cyclic order (Fisher-Yates), the same for both chains. */
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	for (uint32_t i = 0; i < c.lines; i++)
		order[i] = i;
	for (uint32_t i = (uint32_t)c.lines - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(next_rand(&seed) % (i + 1));
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	unsigned most = strcmp(env->clock, "instructions") ? LAYOUTS : 1;
	c.layouts = LAYOUT_BYTES / (c.spread_size + c.dense_size);
	c.layouts = c.layouts < 1 ? 1 : c.layouts > most ? most : c.layouts;
	for (unsigned i = 0; i < c.layouts; i++)
		if (build(&c, i, order, slots, why) != BENCH_OK) {
			teardown(&c);
			return BENCH_UNSUPPORTED;
		}
	*state = &c;
	return BENCH_OK;
}

static void **chase(void **p, uint64_t n)
{
	for (; n; n--)
		p = *p;
	return p;
}

static void run(void *state, uint64_t n)
{
	struct chase *c = state;

	c->spread[c->cur] = chase(c->spread[c->cur], n);
	asm volatile("" : : "r"(c->spread[c->cur]) : "memory");
}

static void control(void *state, uint64_t n)
{
	struct chase *c = state;

	c->dense[c->cur] = chase(c->dense[c->cur], n);
	asm volatile("" : : "r"(c->dense[c->cur]) : "memory");
}

static void next_layout(void *state)
{
	struct chase *c = state;

	c->cur = (c->cur + 1) % c->layouts;
}

/* Each chain's own cost per access, beside the penalty the framework derived. */
static void extra(void *state, const struct bench_env *env, char *buf, size_t n)
{
	struct chase *c = state;
	uint64_t steps = c->lines * 64 < 4096 ? 4096 : c->lines * 64;
	(void)env;

	uint64_t t0 = bench_tsc_begin();
	run(c, steps);
	uint64_t t1 = bench_tsc_end();
	control(c, steps);
	uint64_t t2 = bench_tsc_end();
	snprintf(buf, n, "spread_per_access=%llu.%02llu dense_per_access=%llu.%02llu layouts=%u",
		 (unsigned long long)((t1 - t0) / steps),
		 (unsigned long long)((t1 - t0) * 100 / steps % 100),
		 (unsigned long long)((t2 - t1) / steps),
		 (unsigned long long)((t2 - t1) * 100 / steps % 100), c->layouts);
}

BENCH_CASE(tlb_chase) = {
	.name = "tlb.chase", .metric = "miss_penalty", .setup = setup, .run = run,
	.control = control, .teardown = teardown, .next_layout = next_layout, .extra = extra,
};
