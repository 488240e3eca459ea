/* pt.c - page-table builder and walker shared by IA-32e paging and EPT.
 *
 * Levels are numbered as the SDM's structures: 1 = PT, 2 = PD, 3 = PDPT, 4 = PML4,
 * 5 = PML5; a leaf at level n maps a page of PT_PAGE_BYTES(n). Tables are only ever
 * reached through pt->table_ptr, never by dereferencing a physical address: in a
 * kernel that is the identity map, in the host tests a lookup.
 *
 * Nothing here flushes a TLB: after pt_unmap, or after changing a live EPT, the
 * caller issues INVLPG / MOV CR3 / INVEPT as the situation requires. */
#include "pt.h"

#include <stddef.h>

const struct pt_format pt_format_x86 = {
	.present = 1ULL << 0,				/* P */
	.nonleaf = (1ULL << 0) | (1ULL << 1) | (1ULL << 2),	/* P | R/W | U/S */
	.canonical = true,
};

/* SDM 29.3.2: an EPT entry is not present when bits 2:0 (read, write, execute)
 * are all clear. */
const struct pt_format pt_format_ept = {
	.present = 0x7,
	.nonleaf = 0x7,
};

static bool levels_ok(const struct pt *pt)
{
	return pt->levels == 4 || pt->levels == 5;
}

/* Whether the tables can translate a: the bits above the top index (47 with 4
 * levels, 56 with 5) are zero, or, for canonical addresses, all copies of it.
 * Any other address would alias one the tables do reach. */
static bool in_reach(const struct pt *pt, uint64_t a)
{
	int top = 12 + 9 * pt->levels;
	uint64_t above = a >> (top - 1);

	if (!pt->fmt->canonical)
		return (a >> top) == 0;
	return above == 0 || above == ~0ULL >> (top - 1);
}

static unsigned pt_index(uint64_t va, int lvl)
{
	return PT_INDEX(va, lvl);
}

static uint64_t *table(const struct pt *pt, uint64_t entry_or_pa)
{
	return pt->table_ptr(pt->ctx, entry_or_pa & PT_ADDR_MASK);
}

/* Whether a present entry at lvl maps a page. Bit 7 is PS only in a PDE or PDPTE:
 * in a PTE it is PAT (x86) or ignored (EPT), in a PML4E/PML5E it is reserved. */
static bool is_leaf(uint64_t e, int lvl)
{
	return lvl == 1 || ((lvl == 2 || lvl == 3) && (e & PT_PS));
}

/* The leaf entry translating va, or NULL; *level and *refs as for pt_walk. */
static uint64_t *find_leaf(const struct pt *pt, uint64_t va, int *level, int *refs)
{
	uint64_t *t, *e;
	int lvl;

	if (!levels_ok(pt))
		return NULL;
	t = table(pt, pt->root);
	for (lvl = pt->levels; lvl >= 1; lvl--) {
		e = &t[pt_index(va, lvl)];
		if (!(*e & pt->fmt->present))
			return NULL;
		if (is_leaf(*e, lvl)) {
			*level = lvl;
			*refs = pt->levels - lvl + 1;
			return e;
		}
		t = table(pt, *e);
	}
	return NULL; /* not reached: every PTE is a leaf */
}

/* Installs one leaf at level size, creating the tables above it as needed. */
static int map_page(struct pt *pt, uint64_t va, uint64_t entry, int size)
{
	uint64_t *t = table(pt, pt->root), *e;
	int lvl;

	for (lvl = pt->levels; lvl > size; lvl--) {
		e = &t[pt_index(va, lvl)];
		if (!(*e & pt->fmt->present)) {
			uint64_t pa = pt->alloc_table(pt->ctx);

			if (!pa)
				return -1;
			pt->tables++;
			*e = pa | pt->fmt->nonleaf;
		} else if (is_leaf(*e, lvl)) {
			return -3; /* a large page already covers va */
		}
		t = table(pt, *e);
	}
	e = &t[pt_index(va, size)];
	if (*e & pt->fmt->present)
		return -3; /* a leaf, or a table where a large leaf would go */
	*e = entry;
	return 0;
}

void pt_adopt(struct pt *pt, const struct pt_format *fmt, int levels, uint64_t root,
	      uint64_t (*alloc_table)(void *), uint64_t *(*table_ptr)(void *, uint64_t),
	      void *ctx)
{
	pt->fmt = fmt;
	pt->levels = levels;
	pt->root = root & PT_ADDR_MASK; /* a CR3 value may carry PCD/PWT or a PCID */
	pt->alloc_table = alloc_table;
	pt->table_ptr = table_ptr;
	pt->ctx = ctx;
	pt->tables = 0; /* the root is not ours */
}

int pt_init(struct pt *pt, const struct pt_format *fmt, int levels,
	    uint64_t (*alloc_table)(void *), uint64_t *(*table_ptr)(void *, uint64_t),
	    void *ctx)
{
	pt_adopt(pt, fmt, levels, 0, alloc_table, table_ptr, ctx);
	pt->root = alloc_table(ctx);
	if (!pt->root)
		return -1;
	pt->tables = 1;
	return 0;
}

int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t len, enum pt_page size,
	   uint64_t leaf_bits)
{
	uint64_t bytes, off, *e;
	int r, lvl, refs;

	if (!levels_ok(pt) || size < PT_4K || size > PT_1G)
		return -2;
	bytes = PT_PAGE_BYTES(size);
	if (len == 0 || ((va | pa | len) & (bytes - 1)))
		return -2;
	/* More than the VA space would map a slot twice. The frames must fit in
	 * bits 51:12 without wrapping. */
	if (len > 1ULL << (12 + 9 * pt->levels) || va + (len - 1) < va ||
	    pa + (len - 1) < pa || ((pa + (len - 1)) & ~(PT_ADDR_MASK | 0xfff)))
		return -2;
	/* Both ends within reach, and so everything between: a range from the low
	 * half to the high one would cross the non-canonical gap. */
	if (!in_reach(pt, va) || !in_reach(pt, va + (len - 1)))
		return -2;
	/* A leaf with no present bit would map nothing. Bits 51:12 are address,
	 * or reserved below a large page's address - except bit 12 of a large
	 * x86 leaf, which is PAT (SDM 4.5, 2-MByte and 1-GByte page formats). */
	if (!(leaf_bits & pt->fmt->present) ||
	    (leaf_bits & PT_ADDR_MASK & ~(size == PT_4K ? 0 : 1ULL << 12)))
		return -2;
	if (size != PT_4K)
		leaf_bits |= PT_PS;

	for (off = 0; off < len; off += bytes) {
		r = map_page(pt, va + off, (pa + off) | leaf_bits, size);
		if (r == 0)
			continue;
		/* Take back this call's leaves, so a failed map changes no translation.
		 * Tables it created stay: they map nothing and are reused later. */
		while (off) {
			off -= bytes;
			e = find_leaf(pt, va + off, &lvl, &refs);
			if (e)
				*e = 0;
		}
		return r;
	}
	return 0;
}

int pt_walk(const struct pt *pt, uint64_t va, uint64_t *pa, uint64_t *leaf, int *level,
	    int *refs)
{
	uint64_t *e, mask;
	int lvl, n;

	e = find_leaf(pt, va, &lvl, &n);
	if (!e)
		return -1;
	/* Bits of the entry below the page size are attributes (e.g. PAT at bit 12
	 * of a large page), not address. */
	mask = PT_PAGE_BYTES(lvl) - 1;
	if (pa)
		*pa = (*e & PT_ADDR_MASK & ~mask) | (va & mask);
	if (leaf)
		*leaf = *e;
	if (level)
		*level = lvl;
	if (refs)
		*refs = n;
	return 0;
}

uint64_t *pt_leaf(const struct pt *pt, uint64_t va, int *level)
{
	int lvl, refs;
	uint64_t *e = find_leaf(pt, va, &lvl, &refs);

	if (e && level)
		*level = lvl;
	return e;
}

int pt_share(struct pt *dst, const struct pt *src)
{
	uint64_t *to, *from;

	if (pt_init(dst, src->fmt, src->levels, src->alloc_table, src->table_ptr, src->ctx))
		return -1;
	to = table(dst, dst->root);
	from = table(src, src->root);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		to[i] = from[i];
	return 0;
}

int pt_unmap(struct pt *pt, uint64_t va)
{
	int lvl, refs;
	uint64_t *e = find_leaf(pt, va, &lvl, &refs);

	if (!e)
		return -1;
	*e = 0;
	return 0;
}
