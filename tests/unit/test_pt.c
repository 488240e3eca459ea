/* test_pt.c - unit tests for the page-table builder and walker (lib/pt.c).
 *
 * Tables live in aligned heap blocks but are named by fake physical addresses
 * (0x1000 * k), translated by a small lookup, so code that dereferences a
 * physical address instead of going through table_ptr crashes here. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pt.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

#define MAXBLK 64

struct hmem {
	uint64_t *blk[MAXBLK];
	unsigned n;
	unsigned budget; /* allocations allowed before reporting out of memory */
};

static uint64_t h_alloc(void *ctx)
{
	struct hmem *m = ctx;
	uint64_t *b;

	if (m->n >= m->budget || m->n >= MAXBLK)
		return 0;
	b = aligned_alloc(4096, 4096);
	assert_non_null(b);
	memset(b, 0, 4096);
	m->blk[m->n++] = b;
	return 0x1000ULL * m->n;
}

static uint64_t *h_ptr(void *ctx, uint64_t pa)
{
	struct hmem *m = ctx;

	/* Only addresses this allocator handed out are tables. */
	assert_int_equal(pa & 0xfff, 0);
	assert_true(pa >= 0x1000 && pa / 0x1000 <= m->n);
	return m->blk[pa / 0x1000 - 1];
}

static int setup(void **state)
{
	struct hmem *m = calloc(1, sizeof(*m));

	if (!m)
		return -1;
	m->budget = MAXBLK;
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct hmem *m = *state;
	unsigned i;

	for (i = 0; i < m->n; i++)
		free(m->blk[i]);
	free(m);
	return 0;
}

/* Frees every table so one test can build several hierarchies. */
static void reset(struct hmem *m)
{
	while (m->n)
		free(m->blk[--m->n]);
	m->budget = MAXBLK;
}

static void init(struct pt *pt, struct hmem *m, const struct pt_format *fmt, int levels)
{
	assert_int_equal(pt_init(pt, fmt, levels, h_alloc, h_ptr, m), 0);
	assert_int_equal(pt->tables, 1);
}

static uint64_t *tab(struct hmem *m, uint64_t entry)
{
	return h_ptr(m, entry & PT_ADDR_MASK);
}

static unsigned nonzero(const uint64_t *t)
{
	unsigned i, n = 0;

	for (i = 0; i < PT_ENTRIES; i++)
		n += t[i] != 0;
	return n;
}

/* Walks va and checks the translation, the page size and the walk length. */
static void expect_walk(const struct pt *pt, uint64_t va, uint64_t pa, int level)
{
	uint64_t got_pa = 0, leaf = 0;
	int got_level = 0, refs = 0;

	assert_int_equal(pt_walk(pt, va, &got_pa, &leaf, &got_level, &refs), 0);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_level, level);
	assert_int_equal(refs, pt->levels - level + 1);
	assert_true(leaf & pt->fmt->present);
	if (level != PT_4K)
		assert_true(leaf & PT_PS);
}

static void expect_unmapped(const struct pt *pt, uint64_t va)
{
	assert_int_equal(pt_walk(pt, va, NULL, NULL, NULL, NULL), -1);
}

/* The worked example: every entry of a 4 KiB mapping, bit for bit. */
static void test_x86_4k_entries(void **state)
{
	struct hmem *m = *state;
	uint64_t pa, leaf, *pml4, *pdpt, *pd, *pt1;
	int level, refs;
	struct pt pt;

	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt.root, 0x1000);
	assert_int_equal(pt_map(&pt, 0x40201000, 0x5000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt.tables, 4);

	/* va 0x40201000: PML4 index 0, PDPT 1, PD 1, PT 1. */
	pml4 = h_ptr(m, pt.root);
	assert_int_equal(pml4[0], 0x2007);
	pdpt = tab(m, pml4[0]);
	assert_int_equal(pdpt[1], 0x3007);
	pd = tab(m, pdpt[1]);
	assert_int_equal(pd[1], 0x4007);
	pt1 = tab(m, pd[1]);
	assert_int_equal(pt1[1], 0x5003);
	/* And nothing else was written. */
	assert_int_equal(nonzero(pml4) + nonzero(pdpt) + nonzero(pd) + nonzero(pt1), 4);

	assert_int_equal(pt_walk(&pt, 0x40201abc, &pa, &leaf, &level, &refs), 0);
	assert_int_equal(pa, 0x5abc);
	assert_int_equal(leaf, 0x5003);
	assert_int_equal(level, PT_4K);
	assert_int_equal(refs, 4);
	expect_unmapped(&pt, 0x40200fff);
	expect_unmapped(&pt, 0x40202000);
	expect_unmapped(&pt, 0);
	/* All outputs are optional. */
	assert_int_equal(pt_walk(&pt, 0x40201000, NULL, NULL, NULL, NULL), 0);
}

/* Every page size in both formats at both depths. */
static void test_matrix(void **state)
{
	static const struct {
		const struct pt_format *fmt;
		uint64_t bits;
	} fmts[] = {
		{ &pt_format_x86, 0x3 | (1ULL << 63) },		/* P|RW, XD */
		{ &pt_format_ept, 0x7 | (6 << 3) | (1ULL << 6) },	/* RWX, WB, ignore PAT */
	};
	struct hmem *m = *state;
	unsigned f;
	int levels;

	for (f = 0; f < 2; f++) {
		for (levels = 4; levels <= 5; levels++) {
			struct pt pt;
			uint64_t leaf;

			reset(m);
			init(&pt, m, fmts[f].fmt, levels);
			assert_int_equal(pt_map(&pt, 0x1000, 0x123000, 0x1000, PT_4K,
						fmts[f].bits), 0);
			assert_int_equal(pt.tables, (unsigned)levels);
			assert_int_equal(pt_map(&pt, 0x40000000, 0x80000000, 4 * MiB, PT_2M,
						fmts[f].bits), 0);
			assert_int_equal(pt.tables, (unsigned)levels + 1);
			/* PML4 slot 1, so a new PDPT as well as a new PML4 entry. */
			assert_int_equal(pt_map(&pt, 512 * GiB, 15 * GiB, 2 * GiB, PT_1G,
						fmts[f].bits), 0);
			assert_int_equal(pt.tables, (unsigned)levels + 2);

			expect_walk(&pt, 0x1000, 0x123000, PT_4K);
			expect_walk(&pt, 0x1fff, 0x123fff, PT_4K);
			expect_walk(&pt, 0x40000000, 0x80000000, PT_2M);
			expect_walk(&pt, 0x40312345, 0x80312345, PT_2M);
			expect_walk(&pt, 512 * GiB + 0x3456789a, 15 * GiB + 0x3456789a, PT_1G);
			expect_walk(&pt, 513 * GiB + 5, 16 * GiB + 5, PT_1G);
			expect_unmapped(&pt, 0x2000);
			expect_unmapped(&pt, 0x40400000);
			expect_unmapped(&pt, 514 * GiB);

			assert_int_equal(pt_walk(&pt, 0x40200000, NULL, &leaf, NULL, NULL), 0);
			assert_int_equal(leaf, 0x80200000 | fmts[f].bits | PT_PS);
			assert_int_equal(pt_walk(&pt, 0x1000, NULL, &leaf, NULL, NULL), 0);
			assert_int_equal(leaf, 0x123000 | fmts[f].bits);
		}
	}
}

static void test_table_counts(void **state)
{
	struct hmem *m = *state;
	struct pt pt;

	/* 1 GiB of 2 MiB pages fills exactly one PD: root + PDPT + PD. */
	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&pt, 1 * GiB, 0, 1 * GiB, PT_2M, 0x3), 0);
	assert_int_equal(pt.tables, 3);
	assert_int_equal(m->n, 3);
	assert_int_equal(nonzero(tab(m, tab(m, h_ptr(m, pt.root)[0])[1])), 512);
	expect_walk(&pt, 1 * GiB, 0, PT_2M);
	expect_walk(&pt, 2 * GiB - 1, 1 * GiB - 1, PT_2M);
	expect_unmapped(&pt, 2 * GiB);

	/* The same in 5-level paging costs the PML5 on top. */
	reset(m);
	init(&pt, m, &pt_format_x86, 5);
	assert_int_equal(pt_map(&pt, 1 * GiB, 0, 1 * GiB, PT_2M, 0x3), 0);
	assert_int_equal(pt.tables, 4);

	/* Two 4 KiB pages on either side of a PD entry boundary need two PTs. */
	reset(m);
	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&pt, 0x1ff000, 0x1000, 0x2000, PT_4K, 0x3), 0);
	assert_int_equal(pt.tables, 5);
	expect_walk(&pt, 0x1ff000, 0x1000, PT_4K);
	expect_walk(&pt, 0x200000, 0x2000, PT_4K);
}

static void test_conflicts(void **state)
{
	struct hmem *m = *state;
	unsigned tables;
	struct pt pt;

	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&pt, 0x1000, 0x7000, 0x1000, PT_4K, 0x3), 0);
	tables = pt.tables;

	/* Double map, even to the same frame. */
	assert_int_equal(pt_map(&pt, 0x1000, 0x7000, 0x1000, PT_4K, 0x3), -3);
	assert_int_equal(pt_map(&pt, 0x1000, 0x8000, 0x1000, PT_4K, 0x3), -3);
	/* A range running into it fails as a whole: page 0 is taken back. */
	assert_int_equal(pt_map(&pt, 0, 0x10000, 0x3000, PT_4K, 0x3), -3);
	expect_unmapped(&pt, 0);
	expect_unmapped(&pt, 0x2000);
	expect_walk(&pt, 0x1000, 0x7000, PT_4K);
	/* Large leaves where a PT or PD already is. */
	assert_int_equal(pt_map(&pt, 0, 0, 2 * MiB, PT_2M, 0x3), -3);
	assert_int_equal(pt_map(&pt, 0, 0, 1 * GiB, PT_1G, 0x3), -3);
	assert_int_equal(pt.tables, tables);

	/* Smaller pages under a 2 MiB leaf. */
	assert_int_equal(pt_map(&pt, 4 * MiB, 2 * MiB, 2 * MiB, PT_2M, 0x3), 0);
	assert_int_equal(pt_map(&pt, 4 * MiB, 0x1000, 0x1000, PT_4K, 0x3), -3);
	assert_int_equal(pt_map(&pt, 5 * MiB, 0x1000, 0x1000, PT_4K, 0x3), -3);
	assert_int_equal(pt_map(&pt, 4 * MiB, 0, 2 * MiB, PT_2M, 0x3), -3);
	/* Smaller pages under a 1 GiB leaf. */
	assert_int_equal(pt_map(&pt, 1 * GiB, 0, 1 * GiB, PT_1G, 0x3), 0);
	assert_int_equal(pt_map(&pt, 1 * GiB + 2 * MiB, 0, 2 * MiB, PT_2M, 0x3), -3);
	assert_int_equal(pt_map(&pt, 2 * GiB - 0x1000, 0, 0x1000, PT_4K, 0x3), -3);
	assert_int_equal(pt_map(&pt, 1 * GiB, 0, 1 * GiB, PT_1G, 0x3), -3);
	/* No tables were created under the large leaves. */
	assert_int_equal(pt.tables, tables);
	expect_walk(&pt, 5 * MiB, 3 * MiB, PT_2M);
	expect_walk(&pt, 2 * GiB - 1, 1 * GiB - 1, PT_1G);
}

/* An address the tables cannot reach is refused, never folded onto one they can:
 * x86 linear addresses must be canonical (bits 63:47 alike with 4 levels, 63:56
 * with 5), EPT guest-physical ones below 2^48 (2^57). */
static void test_reach(void **state)
{
	struct hmem *m = *state;
	struct pt pt, pt5, ept;
	const uint64_t high = 0xffff800000000000ULL; /* the first canonical high address */

	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&pt, 1ULL << 47, 0, 0x1000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, 1ULL << 48, 0, 0x1000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, (1ULL << 47) - 0x1000, 0, 0x2000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, high - 0x1000, 0, 0x2000, PT_4K, 0x3), -2);
	assert_int_equal(pt.tables, 1);
	assert_int_equal(pt_map(&pt, high, 0x5000, 0x1000, PT_4K, 0x3), 0);
	expect_walk(&pt, high + 0x12, 0x5012, PT_4K);
	assert_int_equal(pt_map(&pt, (1ULL << 47) - 0x1000, 0x6000, 0x1000, PT_4K, 0x3), 0);

	init(&pt5, m, &pt_format_x86, 5);
	assert_int_equal(pt_map(&pt5, 1ULL << 47, 0x7000, 0x1000, PT_4K, 0x3), 0);
	expect_walk(&pt5, (1ULL << 47) + 0x34, 0x7034, PT_4K);
	assert_int_equal(pt_map(&pt5, 1ULL << 63, 0x8000, 0x1000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt5, 1ULL << 56, 0x8000, 0x1000, PT_4K, 0x3), -2);

	init(&ept, m, &pt_format_ept, 4);
	assert_int_equal(pt_map(&ept, 1ULL << 48, 0, 0x1000, PT_4K, 0x7), -2);
	assert_int_equal(pt_map(&ept, high, 0, 0x1000, PT_4K, 0x7), -2);
	assert_int_equal(pt_map(&ept, (1ULL << 48) - 0x1000, 0x9000, 0x1000, PT_4K, 0x7), 0);
	expect_walk(&ept, (1ULL << 48) - 0x1000 + 0x56, 0x9056, PT_4K);
}

static void test_bad_args(void **state)
{
	struct hmem *m = *state;
	struct pt pt, bad;

	init(&pt, m, &pt_format_x86, 4);
	/* Misaligned va, pa or len for the page size. */
	assert_int_equal(pt_map(&pt, 0x1001, 0x1000, 0x1000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1800, 0x1000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1800, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0x1000, 0, 2 * MiB, PT_2M, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0, 2 * MiB, 2 * MiB, PT_1G, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0, 0, 2 * MiB, PT_1G, 0x3), -2);
	/* Empty, unknown page size. */
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, 0, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0, 0, 512 * GiB, 4, 0x3), -2);
	/* A leaf that is not present, or whose bits overlap the address. */
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, PT_4K, 0x2), -2);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, PT_4K, 0x1003), -2);
	assert_int_equal(pt_map(&pt, 0, 0, 2 * MiB, PT_2M, 0x3 | (1ULL << 13)), -2);
	/* Frames beyond bit 51, va wrapping past 2^64. */
	assert_int_equal(pt_map(&pt, 0, 1ULL << 52, 0x1000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0, (1ULL << 52) - 0x1000, 0x2000, PT_4K, 0x3), -2);
	assert_int_equal(pt_map(&pt, 0xfffffffffffff000ULL, 0, 0x2000, PT_4K, 0x3), -2);
	/* More than the 48-bit space of 4-level paging. */
	assert_int_equal(pt_map(&pt, 0, 0, 257 * 1024 * GiB, PT_1G, 0x3), -2);
	assert_int_equal(pt.tables, 1);
	assert_int_equal(nonzero(h_ptr(m, pt.root)), 0);

	/* The edges that are fine: the last frame below 2^52, PAT (bit 12) in a
	 * large leaf, which the walk must not mistake for address. */
	assert_int_equal(pt_map(&pt, 0, (1ULL << 52) - GiB, GiB, PT_1G, 0x3), 0);
	expect_walk(&pt, 0x123, (1ULL << 52) - GiB + 0x123, PT_1G);
	assert_int_equal(pt_map(&pt, GiB, 2 * MiB, 2 * MiB, PT_2M, 0x3 | (1ULL << 12)), 0);
	expect_walk(&pt, GiB + 0x2345, 2 * MiB + 0x2345, PT_2M);

	/* Only 4 and 5 levels exist. */
	pt_adopt(&bad, &pt_format_x86, 3, pt.root, h_alloc, h_ptr, m);
	assert_int_equal(pt_map(&bad, 0, 0, 0x1000, PT_4K, 0x3), -2);
	expect_unmapped(&bad, 0);
	assert_int_equal(pt_unmap(&bad, 0), -1);
}

static void test_oom(void **state)
{
	struct hmem *m = *state;
	struct pt pt;

	m->budget = 0;
	assert_int_equal(pt_init(&pt, &pt_format_x86, 4, h_alloc, h_ptr, m), -1);

	/* Root and PDPT, then the PD fails. */
	m->budget = 2;
	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, PT_4K, 0x3), -1);
	assert_int_equal(pt.tables, 2);
	expect_unmapped(&pt, 0x1000);
	/* With more memory the same call completes, reusing the PDPT. */
	m->budget = 4;
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt.tables, 4);
	expect_walk(&pt, 0x1000, 0x1000, PT_4K);

	/* Running out halfway through a range takes back its first pages. */
	assert_int_equal(pt_map(&pt, 0x1ff000, 0x10000, 0x2000, PT_4K, 0x3), -1);
	expect_unmapped(&pt, 0x1ff000);
	expect_walk(&pt, 0x1000, 0x1000, PT_4K);
	m->budget = 5;
	assert_int_equal(pt_map(&pt, 0x1ff000, 0x10000, 0x2000, PT_4K, 0x3), 0);
	expect_walk(&pt, 0x200000, 0x11000, PT_4K);
	assert_int_equal(pt.tables, 5);
}

static void test_unmap(void **state)
{
	struct hmem *m = *state;
	unsigned tables;
	struct pt pt;

	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt_unmap(&pt, 0x1000), -1);
	assert_int_equal(pt_map(&pt, 0x1000, 0x9000, 0x3000, PT_4K, 0x3), 0);
	assert_int_equal(pt_map(&pt, 6 * MiB, 8 * MiB, 2 * MiB, PT_2M, 0x3), 0);
	assert_int_equal(pt_map(&pt, 3 * GiB, 0, 1 * GiB, PT_1G, 0x3), 0);
	tables = pt.tables;

	/* The middle 4 KiB page; its neighbours stay. */
	assert_int_equal(pt_unmap(&pt, 0x2fff), 0);
	expect_unmapped(&pt, 0x2000);
	expect_walk(&pt, 0x1000, 0x9000, PT_4K);
	expect_walk(&pt, 0x3000, 0xb000, PT_4K);
	assert_int_equal(pt_unmap(&pt, 0x2000), -1);
	/* Large pages go whole, from any address inside. */
	assert_int_equal(pt_unmap(&pt, 7 * MiB + 0x123), 0);
	expect_unmapped(&pt, 6 * MiB);
	assert_int_equal(pt_unmap(&pt, 3 * GiB + 0x30000000), 0);
	expect_unmapped(&pt, 3 * GiB);
	assert_int_equal(pt.tables, tables);

	/* The slots are free again, for any page size; emptied tables are reused. */
	assert_int_equal(pt_map(&pt, 0x2000, 0x2000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt_map(&pt, 6 * MiB, 0, 2 * MiB, PT_2M, 0x3), 0);
	assert_int_equal(pt.tables, tables);
	assert_int_equal(pt_map(&pt, 3 * GiB + 0x1000, 0, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt.tables, tables + 2);
	expect_walk(&pt, 0x2000, 0x2000, PT_4K);
	expect_walk(&pt, 6 * MiB, 0, PT_2M);
}

static void test_5level(void **state)
{
	const uint64_t a = 0x1000, b = a | (1ULL << 48);
	struct hmem *m = *state;
	uint64_t *pml5;
	struct pt pt;

	/* Bits 56:48 select the PML5 entry. */
	init(&pt, m, &pt_format_x86, 5);
	assert_int_equal(pt_map(&pt, a, 0x10000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt_map(&pt, b, 0x20000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt.tables, 9);
	pml5 = h_ptr(m, pt.root);
	assert_int_equal(nonzero(pml5), 2);
	assert_int_equal(pml5[0] & 0xfff, 0x7);
	assert_int_equal(pml5[1] & 0xfff, 0x7);
	assert_int_not_equal(pml5[0], pml5[1]);
	expect_walk(&pt, a, 0x10000, PT_4K);
	expect_walk(&pt, b, 0x20000, PT_4K);
	/* The top PML5 slot: bits 63:56 copy bit 56, a canonical 57-bit address. */
	assert_int_equal(pt_map(&pt, 0xffff000000000000ULL, 0, 1 * GiB, PT_1G, 0x3), 0);
	assert_int_not_equal(pml5[511], 0);
	expect_walk(&pt, 0xffff000000000000ULL + 5, 5, PT_1G);

	/* In 4-level paging bit 48 is not part of the walk: b would be a's page, and
	 * is no canonical address, so it is refused (test_reach). */
	reset(m);
	init(&pt, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&pt, a, 0x10000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt_map(&pt, b, 0x20000, 0x1000, PT_4K, 0x3), -2);
	expect_walk(&pt, a, 0x10000, PT_4K);
	/* The top of the canonical 48-bit space is PML4 slot 511. */
	assert_int_equal(pt_map(&pt, 0xffffffffffe00000ULL, 0, 2 * MiB, PT_2M, 0x3), 0);
	assert_int_not_equal(h_ptr(m, pt.root)[511], 0);
	expect_walk(&pt, 0xffffffffffffffffULL, 2 * MiB - 1, PT_2M);
}

static void test_ept_format(void **state)
{
	const uint64_t wb = 6 << 3; /* EPT memory type write-back, bits 5:3 */
	struct hmem *m = *state;
	uint64_t *pml4, *pdpt, *pd, *pt1;
	struct pt pt;

	assert_int_equal(pt_format_ept.present, 0x7);
	assert_int_equal(pt_format_ept.nonleaf, 0x7);
	assert_int_equal(pt_format_x86.present, 0x1);
	assert_int_equal(pt_format_x86.nonleaf, 0x7);

	init(&pt, m, &pt_format_ept, 4);
	assert_int_equal(pt_map(&pt, 0x40201000, 0x5000, 0x1000, PT_4K, 0x7 | wb), 0);
	pml4 = h_ptr(m, pt.root);
	assert_int_equal(pml4[0], 0x2007);
	pdpt = tab(m, pml4[0]);
	assert_int_equal(pdpt[1], 0x3007);
	pd = tab(m, pdpt[1]);
	assert_int_equal(pd[1], 0x4007);
	pt1 = tab(m, pd[1]);
	assert_int_equal(pt1[1], 0x5000 | 0x7 | wb);

	/* Any one of R, W, X makes an EPT entry present: execute-only counts. */
	assert_int_equal(pt_map(&pt, 0x40202000, 0x6000, 0x1000, PT_4K, 0x4 | wb), 0);
	expect_walk(&pt, 0x40202000, 0x6000, PT_4K);
	assert_int_equal(pt_map(&pt, 0x40202000, 0x7000, 0x1000, PT_4K, 0x1), -3);
	/* A memory type alone is not a mapping. */
	assert_int_equal(pt_map(&pt, 0x40203000, 0x7000, 0x1000, PT_4K, wb), -2);
	/* A 2 MiB leaf: R|W|X, memory type and PS. */
	assert_int_equal(pt_map(&pt, 0x40400000, 0x200000, 2 * MiB, PT_2M, 0x3 | wb), 0);
	assert_int_equal(pd[2], 0x200000 | 0x3 | wb | PT_PS);
	expect_walk(&pt, 0x40400000 + 0x1234, 0x201234, PT_2M);
}

/* Bit 7 means PS only in a PDPTE or PDE: in a PTE it is PAT, in a PML4E/PML5E
 * it is reserved, and neither may end the walk early or look like a large page. */
static void test_bit7(void **state)
{
	struct hmem *m = *state;
	uint64_t leaf, *pml5;
	struct pt pt;

	init(&pt, m, &pt_format_x86, 5);
	assert_int_equal(pt_map(&pt, 0x1000, 0x5000, 0x1000, PT_4K, 0x3 | PT_PS), 0);
	assert_int_equal(pt_map(&pt, 0x2000, 0x6000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt_walk(&pt, 0x1000, NULL, &leaf, NULL, NULL), 0);
	assert_int_equal(leaf, 0x5000 | 0x3 | PT_PS);
	pml5 = h_ptr(m, pt.root);
	pml5[0] |= PT_PS;
	tab(m, pml5[0])[0] |= PT_PS;
	expect_walk(&pt, 0x1000, 0x5000, PT_4K);
	expect_walk(&pt, 0x2000, 0x6000, PT_4K);
	assert_int_equal(pt_map(&pt, 0x3000, 0x7000, 0x1000, PT_4K, 0x3), 0);
	expect_walk(&pt, 0x3000, 0x7000, PT_4K);
}

/* A hierarchy built elsewhere (e.g. the boot CR3) can be extended. */
static void test_adopt(void **state)
{
	struct hmem *m = *state;
	struct pt a, b;

	init(&a, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&a, 0x1000, 0x1000, 0x1000, PT_4K, 0x3), 0);
	/* A CR3 value with PWT|PCD set: only bits 51:12 are the root. */
	pt_adopt(&b, &pt_format_x86, 4, a.root | 0x18, h_alloc, h_ptr, m);
	assert_int_equal(b.root, a.root);
	assert_int_equal(b.tables, 0);
	expect_walk(&b, 0x1000, 0x1000, PT_4K);
	assert_int_equal(pt_map(&b, 0x2000, 0x2000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(b.tables, 0);
	assert_int_equal(pt_map(&b, 1 * GiB, 0, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(b.tables, 2);
	expect_walk(&a, 1 * GiB, 0, PT_4K);
}

/* pt_leaf: the entry itself, for any page size; written through, the walk follows. */
static void test_leaf(void **state)
{
	struct hmem *m = *state;
	struct pt pt;
	int level = 0;

	init(&pt, m, &pt_format_x86, 4);
	assert_null(pt_leaf(&pt, 0x1000, &level));
	assert_int_equal(pt_map(&pt, 0x1000, 0x9000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt_map(&pt, 4 * MiB, 8 * MiB, 2 * MiB, PT_2M, 0x3), 0);
	uint64_t *e = pt_leaf(&pt, 0x1abc, &level);
	assert_non_null(e);
	assert_int_equal(level, PT_4K);
	assert_int_equal(*e, 0x9003);
	*e = 0xa003; /* another frame, as pt.invlpg's remap does */
	expect_walk(&pt, 0x1000, 0xa000, PT_4K);
	*e = 0;
	expect_unmapped(&pt, 0x1000);
	assert_non_null(pt_leaf(&pt, 5 * MiB, &level));
	assert_int_equal(level, PT_2M);
	assert_non_null(pt_leaf(&pt, 5 * MiB, NULL));
	assert_null(pt_leaf(&pt, 6 * MiB, NULL));
}

/* pt_share: a second root over the same tables; a change below the root shows in
 * both, one at the root in the first only. */
static void test_share(void **state)
{
	struct hmem *m = *state;
	struct pt a, b;

	init(&a, m, &pt_format_x86, 4);
	assert_int_equal(pt_map(&a, 0x1000, 0x9000, 0x1000, PT_4K, 0x3), 0);
	assert_int_equal(pt_share(&b, &a), 0);
	assert_int_not_equal(b.root, a.root);
	assert_int_equal(b.tables, 1);
	assert_int_equal(b.levels, 4);
	expect_walk(&b, 0x1000, 0x9000, PT_4K);
	assert_int_equal(pt_map(&a, 0x2000, 0xb000, 0x1000, PT_4K, 0x3), 0);
	expect_walk(&b, 0x2000, 0xb000, PT_4K);
	assert_int_equal(pt_map(&a, 1ULL << 40, 0, 0x1000, PT_4K, 0x3), 0);
	expect_unmapped(&b, 1ULL << 40);
	/* Out of memory: no root, an error. */
	m->budget = m->n;
	assert_int_equal(pt_share(&b, &a), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_x86_4k_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_matrix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_5level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ept_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bit7, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_share, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
