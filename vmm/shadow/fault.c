/* fault.c - the exits paging=shadow adds: page faults (exception bitmap bit 14,
 * PFEC mask and match 0, so every #PF of the guest exits), INVLPG and INVPCID.
 *
 * A page fault is one of:
 *  - hidden: the guest's tables allow the access and the shadow merely lacked it
 *    (not filled yet, or mapped read-only until the first write sets the guest's
 *    dirty flag). The walk sets the guest's accessed and dirty flags, the shadow
 *    entry is filled and the guest resumes: one exit, unseen by the guest.
 *  - the guest's: its tables refuse the access. It gets the #PF the processor
 *    would deliver: vector 14, the error code of SDM 4.7 and CR2 = the address,
 *    written here because a #PF that causes a VM exit does not load CR2 (27.1).
 *  - outside RAM: the guest's tables point outside its RAM (a table or the page).
 *    The MMIO test page is emulated, anything else stops the guest, naming the
 *    guest-physical address as the EPT path's reports do. */
#include <stddef.h>
#include "cpu.h"
#include "cr.h"
#include "exception.h"
#include "exit.h"
#include "exits.h"
#include "frame.h"
#include "hypercall.h"
#include "mmio.h"
#include "shadow/shadow.h"
#include "vmcs.h"

#define VMX_INSN_INFO_REG2(i) (((i) >> 28) & 15) /* INVEPT, INVPCID, INVVPID (27.2.5) */
#define INVPCID_TYPE_MAX 3

/* The event whose delivery the fault interrupted is lost unless re-injected
 * (27.2.4): as it was, with its error code and, for software events, the length
 * of the instruction that raised it (26.6.1.1). */
static void reinject(uint32_t vect)
{
	uint32_t type = INTR_INFO_TYPE(vect);

	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, vect & (INTR_INFO_VALID | INTR_INFO_DELIVER_CODE |
						       INTR_INFO_TYPE_MASK | 0xff));
	if (vect & INTR_INFO_DELIVER_CODE)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read32(IDT_VECTORING_ERROR_CODE));
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SOFT_EXCEPTION)
		vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

/* The guest's own #PF, combined with the event it interrupted as Table 6-5 says: a
 * #PF while delivering a #PF is a #DF, while delivering a #DF a triple fault. */
static enum exit_action guest_pf(struct vcpu *v, uint64_t gla, uint32_t error, uint32_t vect)
{
	write_cr2(gla);
	if ((vect & INTR_INFO_VALID) && INTR_INFO_TYPE(vect) == INTR_TYPE_HARD_EXCEPTION) {
		if (INTR_INFO_VECTOR(vect) == EXC_DF)
			return handle_triple_fault(v);
		if (INTR_INFO_VECTOR(vect) == EXC_PF) {
			vcpu_inject(EXC_DF, 0);
			return HV_RESUME;
		}
	}
	vcpu_inject(EXC_PF, error);
	return HV_RESUME;
}

static enum exit_action outside_ram(struct vcpu *v, uint64_t gpa, uint32_t pfec, uint32_t vect,
				    bool in_walk)
{
	if (vect & INTR_INFO_VALID)
		return vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "page fault at guest-physical %#lx while delivering vector %u",
				 gpa, INTR_INFO_VECTOR(vect));
	if (!in_walk && gpa - HV_MMIO_TEST_GPA < FRAME_SIZE && !(pfec & PFEC_I))
		return mmio_emulate(v, gpa, pfec & PFEC_W);
	const char *kind = in_walk ? "read" : (pfec & PFEC_I) ? "instruction fetch"
			   : (pfec & PFEC_W) ? "write" : "read";
	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "page fault: %s of guest-physical %#lx, outside its %lu MiB of RAM%s",
			 kind, gpa, v->ram_size >> 20,
			 in_walk ? " (while walking its own page tables)" : "");
}

/* The shadow leaf for a walk that succeeded (w->gpa in RAM): the guest's combined
 * rights, memory type and protection key, and writable only once the guest's dirty
 * flag is set, so that the first write faults and sets it. A supervisor write that
 * CR0.WP=0 lets through a read-only page gets a writable supervisor-only entry
 * (real CR0.WP is always set): a user access then faults and is filled anew.
 * Returns whether the entry changed. */
static bool fill(const struct vcpu *v, const struct gwalk *w)
{
	uint64_t leaf = w->leaf, hpa = v->ram_hpa + (w->gpa & ~(FRAME_SIZE - 1));
	bool wp_off_write = !w->writable && (w->pfec & (PFEC_W | PFEC_U)) == PFEC_W;
	bool rw = (w->writable || wp_off_write) && (leaf & PTE_D);
	bool pat = w->level == PT_4K ? (leaf & PTE_PAT) : (leaf & PTE_LARGE_PAT);
	uint64_t e = hpa | PTE_P | PTE_A | (leaf & (PTE_PWT | PTE_PCD | PTE_PK)) |
		     (pat ? PTE_PAT : 0) | (rw ? PTE_RW | PTE_D : 0) |
		     (w->user && !wp_off_write ? PTE_US : 0) | (w->nx ? PTE_XD : 0);

	return spt_set(w->gla, e, w->level) != e;
}

/* Walks the guest's tables for one access and, when they allow it, fills the
 * shadow: GW_OK then, else the walk's result (w->gpa outside RAM is GW_OUTSIDE
 * with in_walk false). A present entry that already was what the walk asks for
 * faulted on the guest's own rights, as the processor judges them: that fault is
 * the guest's (e.g. SMAP on an implicit supervisor access, which the walk cannot
 * tell from an explicit one), with the processor's error code. */
static int resolve(const struct vcpu *v, struct gwalk *w, bool *in_walk)
{
	gwalk(v, w);
	*in_walk = w->result == GW_OUTSIDE;
	if (w->result != GW_OK)
		return w->result;
	if (!gpa_in_ram(v, w->gpa & ~(FRAME_SIZE - 1), FRAME_SIZE))
		return GW_OUTSIDE;
	if (!fill(v, w) && (w->pfec & PFEC_P)) {
		w->error = w->pfec;
		return GW_FAULT;
	}
	return GW_OK;
}

enum exit_action shadow_page_fault(struct vcpu *v)
{
	uint64_t gla = vmcs_readnat(EXIT_QUALIFICATION);
	uint32_t pfec = vmcs_read32(VM_EXIT_INTR_ERROR_CODE);
	uint32_t vect = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	bool in_walk;

	/* Paging off: the identity shadow maps all of RAM, so the address is outside. */
	if (!shadow.paged)
		return outside_ram(v, gla & 0xffffffffULL, pfec, vect, false);
	/* A protection-key fault: the shadow leaf has the guest's key, PKRU is the
	 * guest's, and the rest of the rights are no wider than the guest's. */
	if (pfec & PFEC_PK)
		return guest_pf(v, gla, pfec, vect);
	struct gwalk w = { .gla = gla, .pfec = pfec };
	if (shadow.cr4 & CR4_SMAP)
		w.ac = vmcs_readnat(GUEST_RFLAGS) & RFLAGS_AC;
	switch (resolve(v, &w, &in_walk)) {
	case GW_OK:
		if (vect & INTR_INFO_VALID)
			reinject(vect);
		return HV_RESUME;
	case GW_FAULT:
		return guest_pf(v, gla, w.error, vect);
	default:
		return outside_ram(v, w.gpa, pfec, vect, in_walk);
	}
}

int shadow_touch(struct vcpu *v, uint64_t gla)
{
	struct gwalk w = { .gla = gla };
	bool in_walk;

	if (!shadow.paged)
		return -1;
	if (!pt_walk(&shadow.spt, gla, NULL, NULL, NULL, NULL))
		return 0;
	return resolve(v, &w, &in_walk) == GW_OK ? 0 : -1;
}

/* INVLPG drops the translation of the page holding the address (4.10.4.1): the
 * shadow entry, or all of them for a large guest page. Paging off, there is none. */
enum exit_action handle_invlpg(struct vcpu *v)
{
	uint64_t gla = vmcs_readnat(EXIT_QUALIFICATION);

	(void)v;
	if (shadow.paged)
		spt_flush_tlb(spt_drop(gla) ? ~0ULL : gla);
	vcpu_skip_insn();
	return HV_RESUME;
}

/* INVPCID exits with INVLPG exiting (25.1.3). Every type invalidates at most what
 * dropping the whole shadow does, so that is what each does; a type above 3 is
 * #GP (the descriptor's own checks are not made). */
enum exit_action handle_invpcid(struct vcpu *v)
{
	unsigned reg = VMX_INSN_INFO_REG2(vmcs_read32(VMX_INSTRUCTION_INFO));
	uint64_t type = gpr_get(v, reg);

	if (!(shadow.efer & EFER_LMA))
		type = (uint32_t)type;
	if (type > INVPCID_TYPE_MAX) {
		vcpu_inject(EXC_GP, 0);
		return HV_RESUME;
	}
	if (shadow.paged) {
		spt_reset(shadow.spt.levels);
		spt_flush_tlb(~0ULL);
	}
	vcpu_skip_insn();
	return HV_RESUME;
}
