/* mode.c - the guest's paging mode under paging=shadow: its CR0, CR3, CR4 and EFER
 * as it sees them, and the real ones the processor runs it with.
 *
 * The processor always runs the guest with CR0.PE, CR0.PG, CR0.WP and CR4.PAE set
 * (no unrestricted guest without EPT, SDM 26.3.1.1): paging off, on the identity
 * shadow in PAE paging; paging on, on the shadow tables in IA-32e paging with
 * "IA-32e mode guest" and EFER.LMA following the guest's CR0.PG and EFER.LME
 * (10.8.5). Real CR0.WP stays set so that every write to a page the shadow maps
 * read-only faults, which is how the guest's dirty flags are kept (fault.c). The
 * guest's values of the bits that differ are in the read shadows, its CR3 and
 * EFER here; each change of them exits, and drops the shadow, as the processor
 * flushes its TLB on such a change (4.10.4.1). */
#include "caps.h"
#include "cpu.h"
#include "cr.h"
#include "exception.h"
#include "exit.h"
#include "exits.h"
#include "shadow/shadow.h"
#include "vmcs.h"

#define CPUID_80000001_EDX_NX (1u << 20)

uint64_t guest_cr3(void)
{
	return cfg.shadow_paging ? shadow.cr3 : vmcs_readnat(GUEST_CR3);
}

uint64_t guest_efer(void)
{
	return cfg.shadow_paging ? shadow.efer : vmcs_read64(GUEST_IA32_EFER);
}

uint64_t shadow_real_cr0(uint64_t guest)
{
	return vmx_fixed_cr(guest | CR0_PE | CR0_PG | CR0_WP, caps.cr0_fixed0, caps.cr0_fixed1);
}

/* PSE and PGE are for the guest's tables, not the shadow's (whose leaves are 4 KiB
 * and never global: each flush then reaches every entry); PCIDE too (the shadow has
 * one address space, flushed on each CR3 load). SMEP and SMAP act on the shadow's
 * leaves, which carry the guest's U/S: they apply only while its paging is on. */
uint64_t shadow_real_cr4(uint64_t guest, uint64_t guest_cr0)
{
	uint64_t r = (guest & ~(CR4_PSE | CR4_PGE | CR4_PCIDE)) | CR4_PAE;

	if (!(guest_cr0 & CR0_PG))
		r &= ~(CR4_SMEP | CR4_SMAP);
	return vmx_fixed_cr(r, caps.cr4_fixed0, caps.cr4_fixed1);
}

static int shadow_levels(void)
{
	return (guest_cr4() & CR4_LA57) ? 5 : 4;
}

void shadow_init(struct vcpu *v)
{
	spt_init(v);
	shadow.cr3 = 0;
	shadow.efer = 0;
	shadow.paged = false;
}

enum exit_action shadow_mode_changed(struct vcpu *v)
{
	uint64_t cr0 = guest_cr0(), cr4 = guest_cr4(), efer = shadow.efer;
	bool paged = cr0 & CR0_PG;

	if (!(cr0 & CR0_PE))
		return vcpu_stop(v, EXIT_GUEST_STOPPED, "real mode (CR0.PE clear) is not emulated "
				 "under paging=shadow");
	if (paged && !(cr4 & CR4_PAE))
		return vcpu_stop(v, EXIT_GUEST_STOPPED, "32-bit paging (CR0.PG with CR4.PAE "
				 "clear) is not emulated under paging=shadow");
	if (paged && !(efer & EFER_LME))
		return vcpu_stop(v, EXIT_GUEST_STOPPED, "PAE paging outside IA-32e mode (CR0.PG "
				 "with EFER.LME clear) is not emulated under paging=shadow");
	shadow.efer = paged ? efer | EFER_LMA : efer & ~EFER_LMA;
	shadow.paged = paged;
	shadow.cr0 = cr0;
	shadow.cr4 = cr4;
	/* The real CR0.PG is always set, so the real LME must equal LMA (26.3.1.1). */
	vmcs_write64(GUEST_IA32_EFER, paged ? shadow.efer : shadow.efer & ~EFER_LME);
	uint32_t entry = vmcs_read32(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE;
	vmcs_write32(VM_ENTRY_CONTROLS, entry | (paged ? VM_ENTRY_IA32E_MODE : 0));
	vmcs_writenat(GUEST_CR4, shadow_real_cr4(cr4, cr0));
	spt_reset(shadow_levels());
	vmcs_writenat(GUEST_CR3, paged ? shadow.spt.root : shadow.identity);
	spt_flush_tlb(~0ULL);
	return HV_RESUME;
}

/* 64-bit CR3 (4.5): bits above MAXPHYADDR are reserved, except bit 63 under
 * CR4.PCIDE, which asks not to flush and is not stored; outside IA-32e mode the
 * register is 32 bits. Every load drops the whole shadow, global pages too: the
 * processor may drop any TLB entry at any time, so dropping more than the
 * architecture requires is always correct, and the next touches refill it. */
int shadow_load_cr3(struct vcpu *v, uint64_t val)
{
	(void)v;
	if (shadow.efer & EFER_LMA) {
		uint64_t noflush = (guest_cr4() & CR4_PCIDE) ? BIT_ULL(63) : 0;
		if (val & ~((1ULL << guest_maxphyaddr()) - 1) & ~noflush) {
			vcpu_inject(EXC_GP, 0);
			return -1;
		}
		val &= ~noflush;
	} else {
		val = (uint32_t)val;
	}
	shadow.cr3 = val;
	if (shadow.paged) {
		spt_reset(shadow_levels());
		vmcs_writenat(GUEST_CR3, shadow.spt.root);
		spt_flush_tlb(~0ULL);
	}
	return 0;
}

/* WRMSR to IA32_EFER (Vol. 4, Table 2-2): SCE, LME, NXE where CPUID offers NX; LMA
 * is read-only (a written value is ignored); LME cannot change while paging is on.
 * Anything else is #GP. */
int shadow_write_efer(struct vcpu *v, uint64_t val, enum exit_action *next)
{
	uint64_t ok = EFER_SCE | EFER_LME | EFER_LMA |
		      ((cpuid_if_present(0x80000001, 0).d & CPUID_80000001_EDX_NX) ? EFER_NXE : 0);

	if ((val & ~ok) || (shadow.paged && ((val ^ shadow.efer) & EFER_LME))) {
		vcpu_inject(EXC_GP, 0);
		return -1;
	}
	shadow.efer = (val & ~EFER_LMA) | (shadow.efer & EFER_LMA);
	*next = shadow_mode_changed(v);
	return 0;
}
