/* cpuid_cache.c - filling the cache of cpuid_cache.h. */
#include "cpuid_cache.h"
#include "string.h"

#define SUBLEAF_PROBE_HIGH 0xffffffffu

static bool same(const struct cpuid *x, const struct cpuid *y)
{
	return x->a == y->a && x->b == y->b && x->c == y->c && x->d == y->d;
}

/* Probes one leaf into l; leaves l empty (a miss) when the pool is full. A leaf is
 * flat (ignores ECX) when subleaves 0 to FLAT_PROBES - 1 and the highest answer
 * alike: a leaf with subleaves differs by subleaf 1 or 2 already (a valid one and
 * an invalid one, or two valid ones), and the few probes keep the start-up short
 * where each is an exit of the level below. */
#define FLAT_PROBES 4
static void fill_leaf(struct cpuid_cache *c, struct cpuid_cache_leaf *l, uint32_t leaf,
		      cpuid_probe_fn probe)
{
	struct cpuid sub[CPUID_CACHE_SUBLEAVES];
	struct cpuid high = probe(leaf, SUBLEAF_PROBE_HIGH);
	unsigned n = 1;
	bool flat = true;

	for (unsigned i = 0; i < FLAT_PROBES; i++) {
		sub[i] = probe(leaf, i);
		flat = flat && same(&sub[i], &high);
	}
	/* Keep subleaves up to the start of the run of equal answers that ends the
	 * probed ones: the last kept stands for the rest of that run. */
	if (!flat) {
		for (unsigned i = FLAT_PROBES; i < CPUID_CACHE_SUBLEAVES; i++)
			sub[i] = probe(leaf, i);
		n = CPUID_CACHE_SUBLEAVES;
		while (n > 1 && same(&sub[n - 1], &sub[n - 2]))
			n--;
	}
	if (c->used + n > CPUID_CACHE_ENTRIES)
		return;
	l->first = (uint16_t)c->used;
	l->n = (uint16_t)n;
	l->last = flat ? SUBLEAF_PROBE_HIGH : CPUID_CACHE_SUBLEAVES - 1;
	memcpy(&c->answers[c->used], sub, n * sizeof(sub[0]));
	c->used += n;
}

/* The leaves of one range, [base, end of the range's maximum], as far as the table
 * goes; returns the end of those cached. */
static uint32_t fill_range(struct cpuid_cache *c, struct cpuid_cache_leaf *table, uint32_t base,
			   cpuid_probe_fn probe)
{
	uint32_t max = probe(base, 0).a;

	if (max < base)
		return base;
	uint32_t count = max - base + 1 < CPUID_CACHE_LEAVES ? max - base + 1 : CPUID_CACHE_LEAVES;
	for (uint32_t i = 0; i < count; i++)
		fill_leaf(c, &table[i], base + i, probe);
	return base + count;
}

void cpuid_cache_fill(struct cpuid_cache *c, cpuid_probe_fn probe)
{
	memset(c, 0, sizeof(*c));
	c->basic_end = fill_range(c, c->basic, 0, probe);
	c->ext_end = fill_range(c, c->ext, CPUID_EXT_BASE, probe);
}
