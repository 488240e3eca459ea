/* gwalk.c - the guest's IA-32e page tables walked as the processor walks them on a
 * TLB miss (SDM Vol. 3A, 4.5 to 4.8), for the shadow's fault path.
 *
 * The outcome is one of three: the access is allowed (the guest-physical address,
 * the combined rights, and the accessed and dirty flags set as the processor sets
 * them); the guest's own tables refuse it (a page fault with the error code the
 * processor would give, 4.7); or a table entry lies outside the guest's RAM, which
 * no guest may make the hypervisor read (the caller stops the guest). */
#include "cpu.h"
#include "cr.h"
#include "msr.h"
#include "shadow/shadow.h"

#define CPUID_80000001_EDX_PAGE1GB (1u << 26)

/* The processor's MAXPHYADDR and 1 GiB pages, which the guest sees too (CPUID is
 * passed through): asked once, not on every walk. */
static unsigned maxphy;
static bool page1gb;

unsigned guest_maxphyaddr(void)
{
	if (!maxphy) {
		struct cpuid r = cpuid_if_present(0x80000008, 0);
		maxphy = r.a ? (r.a & 0xff) : 36;
		page1gb = cpuid_if_present(0x80000001, 0).d & CPUID_80000001_EDX_PAGE1GB;
	}
	return maxphy;
}

/* The bits of an entry at level lvl that must be 0 (4.5, Tables 4-14 to 4-20): the
 * address above MAXPHYADDR; XD without EFER.NXE; PS in a PML5E/PML4E, and in a
 * PDPTE when there are no 1 GiB pages; in a large leaf, the address bits below its
 * alignment other than PAT (bit 12). */
static uint64_t reserved_bits(uint64_t e, int lvl, bool nxe)
{
	uint64_t r = PT_ADDR_MASK & ~((1ULL << guest_maxphyaddr()) - 1);

	if (!nxe)
		r |= PTE_XD;
	if (lvl >= 4 || (lvl == PT_1G && !page1gb))
		r |= PT_PS;
	else if ((lvl == PT_2M || lvl == PT_1G) && (e & PT_PS))
		r |= (PT_PAGE_BYTES(lvl) - 1) & PT_ADDR_MASK & ~PTE_LARGE_PAT;
	return r;
}

/* Whether the combined rights let the access through (4.6): user accesses need
 * U/S everywhere; writes need R/W everywhere, except supervisor writes with
 * CR0.WP clear; fetches need XD clear and, from supervisor mode under CR4.SMEP, a
 * supervisor page; supervisor data accesses to a user page under CR4.SMAP need
 * RFLAGS.AC (implicit supervisor accesses, which ignore AC, are not told apart). */
static bool allowed(const struct gwalk *w, uint64_t cr0, uint64_t cr4)
{
	bool user = w->pfec & PFEC_U, write = w->pfec & PFEC_W, fetch = w->pfec & PFEC_I;

	if (user && !w->user)
		return false;
	if (write && !w->writable && (user || (cr0 & CR0_WP)))
		return false;
	if (fetch && (w->nx || (!user && w->user && (cr4 & CR4_SMEP))))
		return false;
	if (!fetch && !user && w->user && (cr4 & CR4_SMAP) && !w->ac)
		return false;
	return true;
}

void gwalk(const struct vcpu *v, struct gwalk *w)
{
	uint64_t cr0 = shadow.cr0, cr4 = shadow.cr4;
	bool nxe = shadow.efer & EFER_NXE;
	int levels = (cr4 & CR4_LA57) ? 5 : 4, lvl;
	uint64_t table = shadow.cr3 & PT_ADDR_MASK, *used[5], e = 0;
	uint32_t access = w->pfec & (PFEC_W | PFEC_U | PFEC_I);

	w->writable = w->user = true;
	w->nx = false;
	for (lvl = levels; lvl >= PT_4K; lvl--) {
		uint64_t at = table + 8 * PT_INDEX(w->gla, lvl);
		if (!gpa_in_ram(v, at, 8)) {
			w->result = GW_OUTSIDE;
			w->gpa = at;
			return;
		}
		used[levels - lvl] = gpa_ptr(v, at);
		e = *used[levels - lvl];
		if (!(e & PTE_P)) {
			w->result = GW_FAULT;
			w->error = access;
			return;
		}
		if (e & reserved_bits(e, lvl, nxe)) {
			w->result = GW_FAULT;
			w->error = access | PFEC_P | PFEC_RSVD;
			return;
		}
		w->writable &= !!(e & PTE_RW);
		w->user &= !!(e & PTE_US);
		w->nx |= nxe && (e & PTE_XD);
		if (lvl == PT_4K || (lvl <= PT_1G && (e & PT_PS)))
			break;
		table = e & PT_ADDR_MASK;
	}
	if (!allowed(w, cr0, cr4)) {
		w->result = GW_FAULT;
		w->error = access | PFEC_P;
		return;
	}
	/* The processor sets A in every entry it used and D in the leaf of a write. */
	for (int i = 0; i <= levels - lvl; i++)
		*used[i] |= PTE_A;
	if (access & PFEC_W)
		*used[levels - lvl] |= PTE_D;
	uint64_t size = PT_PAGE_BYTES(lvl);
	w->leaf = *used[levels - lvl];
	w->level = lvl;
	w->gpa = (e & PT_ADDR_MASK & ~(size - 1)) | (w->gla & (size - 1));
	w->result = GW_OK;
}
