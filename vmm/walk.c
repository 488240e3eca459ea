/* walk.c - HC_WALK: the two-dimensional page walk of one guest-linear address, done
 * in software on the tables in use, counting every memory reference the hardware
 * would make on a TLB miss with empty paging-structure caches: each guest table entry
 * read (n of them) and, before each of those reads and before the data access, a walk
 * of the EPT (m entries each). With uniform depths that is (n+1)(m+1)-1 (docs/method.md,
 * "Two-dimensional walk"); counting the actual tables shows what large pages remove. */
#include <stddef.h>
#include "cr.h"
#include "exits.h"
#include "frame.h"
#include "hypercall.h"
#include "msr.h"
#include "shadow/shadow.h"
#include "vmcs.h"
#include "walk.h"


/* EPT entries read to translate gpa; -1 when it is not mapped. */
static int ept_refs(const struct vcpu *v, uint64_t gpa, int *level)
{
	int refs;

	if (pt_walk(&v->ept.pt, gpa, NULL, NULL, level, &refs))
		return -1;
	return refs;
}

/* paging=shadow: the processor walks the shadow tables alone, one dimension (as a
 * TLB miss would, the shadow is filled first if it lacks gla): refs = entries read,
 * all of them "guest" entries, none EPT. */
static long walk_shadow(struct vcpu *v, uint64_t gla, uint64_t *guest_out, uint64_t *ept_out,
			uint64_t *levels_out)
{
	int level, refs;

	if (!(shadow.efer & EFER_LMA))
		return HC_EINVAL;
	if (shadow_touch(v, gla) || pt_walk(&shadow.spt, gla, NULL, NULL, &level, &refs))
		return HC_EFAULT;
	*guest_out = (uint64_t)refs;
	*ept_out = 0;
	*levels_out = (uint64_t)level;
	return refs;
}

long walk_2d(struct vcpu *v, uint64_t gla, uint64_t *guest_out, uint64_t *ept_out,
	     uint64_t *levels_out)
{
	if (cfg.shadow_paging)
		return walk_shadow(v, gla, guest_out, ept_out, levels_out);
	if (!(vmcs_read64(GUEST_IA32_EFER) & EFER_LMA))
		return HC_EINVAL;
	int levels = (vmcs_readnat(GUEST_CR4) & CR4_LA57) ? 5 : 4;
	uint64_t table = vmcs_readnat(GUEST_CR3) & PT_ADDR_MASK, data = 0;
	long total = 0, guest = 0;
	int page_level = 0, ept_level = 0, m;

	for (int lvl = levels; lvl >= 1; lvl--) {
		uint64_t at = table + 8 * ((gla >> (12 + 9 * (lvl - 1))) & (PT_ENTRIES - 1));
		if ((m = ept_refs(v, at, &ept_level)) < 0 || !gpa_in_ram(v, at, 8))
			return HC_EFAULT;
		total += m + 1;
		guest++;
		uint64_t e = *(const uint64_t *)gpa_ptr(v, at);
		if (!(e & PTE_P))
			return HC_EFAULT;
		if (lvl == 1 || (lvl <= 3 && (e & PT_PS))) {
			uint64_t size = PT_PAGE_BYTES(lvl);
			data = (e & PT_ADDR_MASK & ~(size - 1)) | (gla & (size - 1));
			page_level = lvl;
			break;
		}
		table = e & PT_ADDR_MASK;
	}
	if ((m = ept_refs(v, data, &ept_level)) < 0)
		return HC_EFAULT;
	total += m;
	*guest_out = (uint64_t)guest;
	*ept_out = (uint64_t)m;
	*levels_out = (uint64_t)page_level | (uint64_t)ept_level << 8;
	return total;
}
