/* cpuid_cache.h - CPUID answers taken once at start-up, for a hypervisor that is
 * itself a guest: there every CPUID it executes is an exit of the level below, so
 * answering its guest's CPUID from the cache makes handling that exit make none.
 *
 * Every leaf of both ranges is probed at its first subleaves and at 0xffffffff. A
 * leaf that answers the same at all of them ignores ECX (most leaves) and is
 * answered for any subleaf; any other (4, 7, 0xB, 0xD, 0x1F, ...) is probed at
 * subleaves 0 to CPUID_CACHE_SUBLEAVES - 1 and keeps them, the last answer standing
 * for those after it up to that limit (an invalid subleaf repeats: zeroes for leaf
 * 4, say). What was
 * not probed - a subleaf past the limit of such a leaf, a leaf past the table or
 * past the processor's maximum, entries the pool had no room for - is a miss: the
 * caller executes CPUID then, which is correct, only not free.
 *
 * Pure logic on answers a probe function gives (host-tested by
 * tests/unit/test_cpuid_cache.c); cpuid.c fills it and answers from it. */
#ifndef NB_CPUID_CACHE_H
#define NB_CPUID_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cpu.h"

#define CPUID_EXT_BASE        0x80000000u
#define CPUID_CACHE_LEAVES    64    /* per range: 0..63, 0x80000000..0x8000003f */
#define CPUID_CACHE_SUBLEAVES 64    /* XSAVE components go up to 63 (leaf 0xD) */
#define CPUID_CACHE_ENTRIES   1024

struct cpuid_cache_leaf {
	uint16_t first, n;   /* its answers: entries first..first+n-1 (n 0: none) */
	uint32_t last;       /* the last answer stands for subleaves n..last too */
};

struct cpuid_cache {
	/* The leaves in the table: [0, basic_end) and [CPUID_EXT_BASE, ext_end). */
	uint32_t basic_end, ext_end;
	struct cpuid_cache_leaf basic[CPUID_CACHE_LEAVES], ext[CPUID_CACHE_LEAVES];
	struct cpuid answers[CPUID_CACHE_ENTRIES];
	unsigned used;
};

/* What the processor answers, as the cache should hold it. */
typedef struct cpuid (*cpuid_probe_fn)(uint32_t leaf, uint32_t subleaf);

/* Probes every leaf up to the maximums the probe reports at leaves 0 and
 * 0x80000000 (a clean cache: zeroed first). */
void cpuid_cache_fill(struct cpuid_cache *c, cpuid_probe_fn probe);

/* The cached answer to leaf/subleaf, or NULL. Inline: the CPUID exit's path. */
static inline const struct cpuid *cpuid_cache_find(const struct cpuid_cache *c, uint32_t leaf,
						   uint32_t subleaf)
{
	const struct cpuid_cache_leaf *l;

	if (leaf < c->basic_end)
		l = &c->basic[leaf];
	else if (leaf - CPUID_EXT_BASE < c->ext_end - CPUID_EXT_BASE)
		l = &c->ext[leaf - CPUID_EXT_BASE];
	else
		return NULL;
	if (subleaf >= l->n) {
		if (!l->n || subleaf > l->last)
			return NULL;
		subleaf = l->n - 1u;
	}
	return &c->answers[l->first + subleaf];
}

#endif
