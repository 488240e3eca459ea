/* ept02.c - EPT12 walked and composed into EPT02; see ept02.h.
 *
 * The walk is the processor's (SDM 28.3.2): from the EPTP's root, one entry per
 * level, until a leaf (a PTE, or a PDE/PDPTE with bit 7 set); an entry with bits
 * 2:0 clear is not present (EPT violation), a present one with a bad combination
 * of rights, a reserved bit or a reserved memory type is misconfigured (28.3.3.1).
 * L1's tables are read, never written: EPT A/D flags are not offered to L1
 * (caps12.c), so the processor would write nothing there either. */
#include "nested/ept02.h"
#include "vmx.h"

/* IA32_VMX_EPT_VPID_CAP bit 0 (Appendix A.10): execute-only entries allowed. */
#define VMX_EPT_EXECUTE_ONLY_BIT (1ULL << 0)
#define EPT_MT_MASK (7ULL << VMX_EPT_MT_SHIFT)
#define EPT_TABLE_BYTES 4096u

enum entry_kind { ENTRY_ABSENT, ENTRY_MISCONFIG, ENTRY_TABLE, ENTRY_LEAF };

static bool in_ram(const struct ept12 *e, uint64_t gpa1, uint64_t len)
{
	return gpa1 <= e->ram_size && len <= e->ram_size - gpa1;
}

static int walk_levels(const struct ept12 *e)
{
	return (int)((e->eptp >> VMX_EPTP_PWL_SHIFT) & 7) + 1;
}

/* What an EPT12 entry at lvl is (28.3.2 tables of entry formats, 28.3.3.1). */
static enum entry_kind classify(const struct ept12 *e, uint64_t ent, int lvl)
{
	uint64_t rwx = ent & VMX_EPT_RWX, mt = (ent & EPT_MT_MASK) >> VMX_EPT_MT_SHIFT;
	uint64_t reserved = PT_ADDR_MASK & ~((1ULL << e->maxphyaddr) - 1);
	bool leaf = lvl == PT_4K || ((lvl == PT_2M || lvl == PT_1G) && (ent & PT_PS));

	if (!rwx)
		return ENTRY_ABSENT;
	/* Write without read (010b, 110b); execute-only (100b) unless supported. */
	if ((rwx & VMX_EPT_WRITABLE) && !(rwx & VMX_EPT_READABLE))
		return ENTRY_MISCONFIG;
	if (rwx == VMX_EPT_EXECUTABLE && !(e->ept_cap & VMX_EPT_EXECUTE_ONLY_BIT))
		return ENTRY_MISCONFIG;
	if (!leaf)
		/* Bits 7:3 of an entry that references a table are reserved. */
		return (ent & (reserved | 0xf8)) ? ENTRY_MISCONFIG : ENTRY_TABLE;
	/* A large page of a size the capability MSR does not offer: bit 7 is
	 * reserved there (Appendix A.10, bits 16 and 17). */
	if ((lvl == PT_2M && !(e->ept_cap & VMX_EPT_2MB_PAGE_BIT)) ||
	    (lvl == PT_1G && !(e->ept_cap & VMX_EPT_1GB_PAGE_BIT)))
		return ENTRY_MISCONFIG;
	/* Memory types 2, 3 and 7 are reserved; so are the address bits below a
	 * large page's base (20:12 for 2 MiB, 29:12 for 1 GiB). */
	if (mt == 2 || mt == 3 || mt == 7)
		return ENTRY_MISCONFIG;
	reserved |= (PT_PAGE_BYTES(lvl) - 1) & PT_ADDR_MASK;
	return (ent & reserved) ? ENTRY_MISCONFIG : ENTRY_LEAF;
}

/* The attributes of the EPT02 leaf for an EPT12 leaf reached with rights. */
static uint64_t leaf_bits(uint64_t rights, uint64_t leaf)
{
	return (rights & VMX_EPT_RWX) | (leaf & (EPT_MT_MASK | VMX_EPT_IPAT));
}

void ept02_walk12(const struct ept12 *e, uint64_t gpa2, unsigned access,
		  struct ept12_xlat *out)
{
	uint64_t table = e->eptp & PT_ADDR_MASK, ent = 0, rights = VMX_EPT_RWX, size, page;
	int lvl, levels = walk_levels(e);
	enum entry_kind kind = ENTRY_MISCONFIG;

	*out = (struct ept12_xlat){ .status = EPT12_MISCONFIG, .level = levels };
	if (levels != 4 && levels != 5)
		return;  /* VM entry refuses such an EPTP (26.2.1.1); never walked */
	for (lvl = levels; lvl >= PT_4K; lvl--) {
		out->level = lvl;
		if (!in_ram(e, table, EPT_TABLE_BYTES)) {
			out->status = EPT12_OUTSIDE;
			out->gpa1 = table;
			return;
		}
		ent = e->read64(e->ctx, table + 8 * PT_INDEX(gpa2, lvl));
		out->refs++;
		rights &= ent;
		kind = classify(e, ent, lvl);
		if (kind != ENTRY_TABLE)
			break;
		table = ent & PT_ADDR_MASK;
	}
	if (kind == ENTRY_ABSENT) {
		out->status = EPT12_VIOLATION;  /* rights are 0: the entry has none */
		return;
	}
	if (kind == ENTRY_MISCONFIG)
		return;
	size = PT_PAGE_BYTES(out->level);
	page = ent & PT_ADDR_MASK & ~(size - 1);
	if (!in_ram(e, page, size)) {
		out->status = EPT12_OUTSIDE;
		out->gpa1 = page;
		return;
	}
	if (access & ~rights & VMX_EPT_RWX) {
		out->status = EPT12_VIOLATION;
		out->qual_rights = rights & VMX_EPT_RWX;
		return;
	}
	out->status = EPT12_MAPPED;
	out->gpa1 = page | (gpa2 & (size - 1));
	out->leaf_bits = leaf_bits(rights, ent);
}

enum pt_page ept02_page(const struct ept12 *e, int level12, enum pt_page max_page)
{
	int p = level12 < (int)max_page ? level12 : (int)max_page;

	while (p > PT_4K && (e->ram_hpa & (PT_PAGE_BYTES(p) - 1)))
		p--;
	return (enum pt_page)p;
}

int ept02_fill(struct pt *ept02, const struct ept12 *e, uint64_t gpa2,
	       const struct ept12_xlat *x, enum pt_page max_page)
{
	enum pt_page page = ept02_page(e, x->level, max_page);
	uint64_t mask = PT_PAGE_BYTES(page) - 1;

	if (ept02->levels < walk_levels(e))
		return -2;
	return pt_map(ept02, gpa2 & ~mask, e->ram_hpa + (x->gpa1 & ~mask), mask + 1, page,
		      x->leaf_bits);
}

struct build {
	struct pt *ept02;
	const struct ept12 *e;
	enum pt_page max_page;
	struct ept02_bad *bad;
};

/* Fails the build for isolation: gpa2's translation would leave L1's RAM at gpa1. */
static int outside(struct build *b, uint64_t gpa2, uint64_t gpa1)
{
	if (b->bad)
		*b->bad = (struct ept02_bad){ .gpa2 = gpa2, .gpa1 = gpa1 };
	return -2;
}

/* Composes the EPT12 table at L1-physical table, level lvl, which maps the
 * L2-physical addresses from base2, reached with rights. */
static int build_table(struct build *b, uint64_t table, int lvl, uint64_t base2,
		       uint64_t rights)
{
	const struct ept12 *e = b->e;

	if (!in_ram(e, table, EPT_TABLE_BYTES))
		return outside(b, base2, table);
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t ent = e->read64(e->ctx, table + 8 * i), size = PT_PAGE_BYTES(lvl);
		uint64_t gpa2 = base2 + i * size, r = rights & ent, page;
		int err;

		switch (classify(e, ent, lvl)) {
		case ENTRY_ABSENT:
		case ENTRY_MISCONFIG:
			continue;  /* a hole: the lazy walk finds what L1 must be told */
		case ENTRY_TABLE:
			err = build_table(b, ent & PT_ADDR_MASK, lvl - 1, gpa2, r);
			if (err)
				return err;
			continue;
		case ENTRY_LEAF:
			page = ent & PT_ADDR_MASK & ~(size - 1);
			if (!in_ram(e, page, size))
				return outside(b, gpa2, page);
			if (!(r & VMX_EPT_RWX))
				continue;  /* no right survives the walk: not present */
			err = pt_map(b->ept02, gpa2, e->ram_hpa + page, size,
				     ept02_page(e, lvl, b->max_page), leaf_bits(r, ent));
			if (err)  /* out of memory, or ept02 was not empty */
				return err == -1 ? -1 : -3;
			continue;
		}
	}
	return 0;
}

int ept02_build(struct pt *ept02, const struct ept12 *e, enum pt_page max_page,
		struct ept02_bad *bad)
{
	struct build b = { .ept02 = ept02, .e = e, .max_page = max_page, .bad = bad };
	int levels = walk_levels(e);

	if (levels != 4 && levels != 5)
		return 0;  /* never entered with such an EPTP (26.2.1.1) */
	/* A shorter EPT02 could not reach all of EPT12's addresses: pt_map would
	 * take the bits above its reach for an alias. */
	if (ept02->levels < levels)
		return -3;
	return build_table(&b, e->eptp & PT_ADDR_MASK, levels, 0, VMX_EPT_RWX);
}
