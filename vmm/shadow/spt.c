/* spt.c - the shadow page tables the processor really walks while the guest runs.
 *
 * Guest paging on: IA-32e tables (4- or 5-level, as the guest's) from the pool,
 * filled one 4 KiB page at a time by the fault path (fault.c), each leaf pointing
 * into the guest's RAM and nowhere else. A large guest page is shadowed by 4 KiB
 * entries; the entry above them is marked SPT_LARGE_ORIGIN so that the guest's
 * INVLPG anywhere in that page drops them all.
 * Guest paging off: the identity shadow, built once: PAE paging (the guest is in
 * 32-bit protected mode) mapping guest-linear = guest-physical over exactly the
 * guest's RAM, so any access outside RAM faults and exits. */
#include <stddef.h>
#include "kernel.h"
#include "printf.h"
#include "shadow/shadow.h"
#include "vmcs.h"

struct shadow_state shadow;

static uint64_t *table_of(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PT_ADDR_MASK);
}

/* PAE paging takes its four PDPTEs from a 32-byte table whose entries may have
 * only P, PWT, PCD and the address (SDM 4.4.1): the PD pointers of an IA-32e
 * PDPT, stripped of R/W and U/S. The PDs and PTs are shared with the IA-32e
 * tables pt_map builds. */
static void identity_build(const struct vcpu *v)
{
	uint64_t big = PT_PAGE_BYTES(PT_2M);
	enum pt_page page = ((v->ram_hpa | v->ram_size) & (big - 1)) ? PT_4K : PT_2M;
	struct pt id;

	if (pt_init(&id, &pt_format_x86, 4, frames_get_table, frames_table_ptr, NULL) ||
	    pt_map(&id, 0, v->ram_hpa, v->ram_size, page, PTE_P | PTE_RW | PTE_US))
		panic("building the identity shadow failed");
	const uint64_t *pdpt = table_of(table_of(id.root)[0]);
	uint64_t *pae = (uint64_t *)(uintptr_t)frames_get_table(NULL);
	for (int i = 0; i < 4; i++)
		pae[i] = pdpt[i] & (PT_ADDR_MASK | PTE_P);
	shadow.identity = (uintptr_t)pae;
}

void spt_init(const struct vcpu *v)
{
	spool_init();
	identity_build(v);
	spt_reset(4);
}

/* The root is the pool's first frame after every reset, so the real CR3 of a paged
 * guest never changes, even when a fill runs out of frames and starts afresh. */
void spt_reset(int levels)
{
	spool_reset();
	pt_adopt(&shadow.spt, &pt_format_x86, levels, spool_alloc(NULL), spool_alloc,
		 frames_table_ptr, NULL);
}

/* The PTE slot for gla, creating the tables above it (non-leaf entries grant
 * everything: the leaf alone carries the guest's rights) and marking the entry at
 * mark_level; NULL when the pool is empty. */
static uint64_t *pte_slot(uint64_t gla, int mark_level)
{
	uint64_t *t = table_of(shadow.spt.root);

	for (int l = shadow.spt.levels; l > PT_4K; l--) {
		uint64_t *e = &t[PT_INDEX(gla, l)];
		if (!(*e & PTE_P)) {
			uint64_t pa = spool_alloc(NULL);
			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_RW | PTE_US;
		}
		if (l == mark_level)
			*e |= SPT_LARGE_ORIGIN;
		t = table_of(*e);
	}
	return &t[PT_INDEX(gla, PT_4K)];
}

uint64_t spt_set(uint64_t gla, uint64_t entry, int origin)
{
	int mark = origin > PT_4K ? origin : 0;
	uint64_t *e = pte_slot(gla, mark);

	if (!e) {
		/* Out of frames: start afresh. The freed tables will be reused, so no
		 * cached translation through them may survive. */
		spt_reset(shadow.spt.levels);
		spt_flush_tlb(~0ULL);
		e = pte_slot(gla, mark);
	}
	uint64_t old = *e;
	*e = entry;
	shadow.fills++;
	return old;
}

/* Returns to the pool every table below t, a table at level lvl. */
static void free_below(uint64_t *t, int lvl)
{
	if (lvl == PT_4K)
		return;
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (!(t[i] & PTE_P))
			continue;
		free_below(table_of(t[i]), lvl - 1);
		spool_free(t[i] & PT_ADDR_MASK);
		t[i] = 0;
	}
}

bool spt_drop(uint64_t gla)
{
	uint64_t *t = table_of(shadow.spt.root);

	shadow.drops++;
	for (int l = shadow.spt.levels; l > PT_4K; l--) {
		uint64_t *e = &t[PT_INDEX(gla, l)];
		if (!(*e & PTE_P))
			return false;
		if (*e & SPT_LARGE_ORIGIN) {
			free_below(table_of(*e), l - 1);
			spool_free(*e & PT_ADDR_MASK);
			*e = 0;
			return true;
		}
		t = table_of(*e);
	}
	t[PT_INDEX(gla, PT_4K)] = 0;
	return false;
}

void shadow_print(void)
{
	printf("hv: shadow paging: %lu entries filled, %lu INVLPG drops, %lu INVVPIDs\n",
	       shadow.fills, shadow.drops, shadow.flushes);
}

/* Without VPID every VM entry and exit flushes the guest's translations (SDM
 * 28.3.3.3), so a changed shadow is seen at the next entry. With VPID they
 * survive and must be invalidated: one address if the processor can, else all. */
void spt_flush_tlb(uint64_t gla)
{
	if (!cfg.vpid)
		return;
	shadow.flushes++;
	if (gla != ~0ULL && (caps.ept_vpid & VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT) &&
	    !invvpid(VMX_VPID_EXTENT_INDIVIDUAL_ADDR, vcpu.vpid, gla))
		return; /* a non-canonical gla fails: then flush all */
	if (invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, vcpu.vpid, 0))
		panic("INVVPID (single context) failed");
}
