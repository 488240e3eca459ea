/* ept02.h - EPT on EPT: the guest hypervisor's EPT for its guest (EPT12, in L1's
 * memory, translating L2-physical to L1-physical addresses) composed with our EPT
 * for L1 (EPT01) into the EPT that L2 really runs on (EPT02, L2-physical to
 * host-physical).
 *
 * EPT01 maps L1's RAM as one linear block (vmm/ept.c: guest-physical [0, ram_size)
 * to host-physical ram_hpa + gpa), so composing is relocating: each EPT12 leaf
 * gpa2 -> gpa1 of size S becomes EPT02 leaves gpa2 -> ram_hpa + gpa1, with the
 * rights ANDed down EPT12's walk and EPT12's memory type and IPAT (SDM 28.3.2,
 * 28.3.7). Isolation: L2 reaches only what L1 mapped inside L1's RAM; an EPT12
 * table or page outside it is an error naming both addresses, never a mapping.
 *
 * Pure: L1's memory is read through a callback and EPT02's tables come from the
 * caller's allocator (lib/pt.c), so it is host-tested (tests/unit/test_ept02.c). */
#ifndef NB_EPT02_H
#define NB_EPT02_H

#include <stdbool.h>
#include <stdint.h>
#include "pt.h"

/* L1's EPT for L2 as L0 sees it. */
struct ept12 {
	uint64_t eptp;         /* L1's EPT pointer: root in bits 51:12, walk length - 1 in 5:3 */
	uint64_t ram_size;     /* L1's RAM is L1-physical [0, ram_size) ... */
	uint64_t ram_hpa;      /* ... at host-physical ram_hpa (EPT01's linear block) */
	uint64_t ept_cap;      /* L1's IA32_VMX_EPT_VPID_CAP: execute-only, 2M and 1G pages */
	unsigned maxphyaddr;   /* physical-address width: bits 51:maxphyaddr are reserved */
	/* Reads the 8-byte entry at L1-physical gpa1, which is 8-aligned and in L1's RAM. */
	uint64_t (*read64)(void *ctx, uint64_t gpa1);
	void *ctx;
};

enum ept12_status {
	EPT12_MAPPED,      /* translated */
	EPT12_VIOLATION,   /* not present, or too few rights: L1's EPT violation (exit 48) */
	EPT12_MISCONFIG,   /* a misconfigured entry (28.3.3.1): L1's EPT misconfiguration (49) */
	EPT12_OUTSIDE,     /* a table or page outside L1's RAM: isolation, L1 is stopped */
};

/* The outcome of walking EPT12 for one L2-physical address. */
struct ept12_xlat {
	enum ept12_status status;
	/* MAPPED: the L1-physical address gpa2 translates to. OUTSIDE: the first
	 * L1-physical address outside L1's RAM that the walk met (a table, or the
	 * page the leaf maps). Otherwise 0. */
	uint64_t gpa1;
	int level;        /* MAPPED: the leaf's level (enum pt_page); else where the walk stopped */
	/* MAPPED: the attribute bits for an EPT02 leaf: rights ANDed down the walk
	 * (bits 2:0), EPT12's memory type (5:3) and IPAT (6). */
	uint64_t leaf_bits;
	/* VIOLATION: the exit qualification's bits 5:3 (Table 27-7): the rights ANDed
	 * down the walk up to the entry where it stopped - 0 for a not-present entry. */
	uint64_t qual_rights;
	int refs;         /* EPT12 entries read */
};

/* Walks EPT12 for gpa2 as the processor would for an access of the kinds in
 * access (the exit qualification's bits 2:0: read, write, instruction fetch; 0 to
 * translate only). The lazy path of an EPT violation of L2. */
void ept02_walk12(const struct ept12 *e, uint64_t gpa2, unsigned access,
		  struct ept12_xlat *out);

/* The EPT02 page size for an EPT12 leaf at level12: the largest not above it, not
 * above max_page (what L0's EPT may use) and at which ram_hpa + gpa1 stays
 * aligned - with EPT01 linear, that is ram_hpa's own alignment. */
enum pt_page ept02_page(const struct ept12 *e, int level12, enum pt_page max_page);

/* Installs in ept02 the EPT02 page containing gpa2, from a MAPPED walk of it. 0, or
 * pt_map's codes (-2 also when ept02's walk is shorter than EPT12's). */
int ept02_fill(struct pt *ept02, const struct ept12 *e, uint64_t gpa2,
	       const struct ept12_xlat *x, enum pt_page max_page);

/* Composes the whole of EPT12 into ept02 (initialized by the caller, empty). Holes
 * stay holes: a not-present or misconfigured EPT12 entry maps nothing, so that L2's
 * access there takes the lazy path and L1 gets its exit when the processor would
 * give it. Returns 0; -1 when out of memory; -2 on isolation: *bad then names the
 * L2-physical address (bad->gpa2) and the L1-physical address outside L1's RAM
 * (bad->gpa1); -3 when ept02 already mapped some of it or walks fewer levels than
 * EPT12. bad may be NULL. Leaves
 * made before a failure stay: the caller drops the EPT02 on any error. */
struct ept02_bad {
	uint64_t gpa2, gpa1;
};
int ept02_build(struct pt *ept02, const struct ept12 *e, enum pt_page max_page,
		struct ept02_bad *bad);

/* Memory references of a two-dimensional walk (28.3.2): a guest walk of
 * guest_levels whose every table reference and final address is translated by an
 * EPT walk of ept_levels: (n+1)(m+1)-1. Nested without EPT02, each EPT reference
 * itself would be translated again: pass the product form recursively, i.e.
 * walk_refs_2d(n, walk_refs_2d(m12, m01)) gives (n+1)(m12+1)(m01+1)-1. */
static inline unsigned walk_refs_2d(unsigned guest_levels, unsigned ept_levels)
{
	return (guest_levels + 1) * (ept_levels + 1) - 1;
}

#endif
