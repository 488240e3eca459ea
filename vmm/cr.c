/* cr.c - control-register exits.
 *
 * CR0 and CR4 exit only when the guest changes a bit VMX forces (cr0/cr4_host_owned,
 * e.g. CR0.NE, CR4.VMXE, reserved bits) or CR0.CD/NW, which only the read shadow can
 * give back to it; CR8 always exits, because without a TPR
 * shadow MOV CR8 would reach the real local APIC. The guest gets the answer bare
 * hardware gives: #GP for reserved bits, impossible combinations, CR4.VMXE
 * unless VMX is offered (nested=on) and, in the guest's VMX operation, a value
 * outside the fixed bits (23.8). A legal write updates the read shadow with the guest's value
 * and the real register with that value plus the fixed bits. */
#include "caps.h"
#include "cr.h"
#include "cr_check.h"
#include "exit.h"
#include "exception.h"
#include "exits.h"
#include "msr.h"
#include "nested/nested.h"
#include "shadow/shadow.h"
#include "vmcs.h"

#define CR3_PAE_MASK 0xffffffe0ULL

uint64_t gpr_get(struct vcpu *v, unsigned n)
{
	return n == GPR_RSP ? vmcs_readnat(GUEST_RSP) : v->regs.gpr[n];
}

void gpr_set(struct vcpu *v, unsigned n, uint64_t val)
{
	if (n == GPR_RSP)
		vmcs_writenat(GUEST_RSP, val);
	else
		v->regs.gpr[n] = val;
}

uint64_t guest_cr0(void)
{
	uint64_t mask = cr0_host_owned();

	return (vmcs_readnat(GUEST_CR0) & ~mask) | (vmcs_readnat(CR0_READ_SHADOW) & mask);
}

uint64_t guest_cr4(void)
{
	uint64_t mask = cr4_host_owned();

	return (vmcs_readnat(GUEST_CR4) & ~mask) | (vmcs_readnat(CR4_READ_SHADOW) & mask);
}

static bool long_mode_active(void)
{
	return guest_efer() & EFER_LMA;
}

/* PAE paging outside long mode takes its PDPTEs from the VMCS at VM entry when EPT is
 * on (26.3.2.4), so a change of CR0.PG or CR4.PAE must load them as the CPU would. */
static void load_pdptrs_if_pae(struct vcpu *v, uint64_t cr0, uint64_t cr4)
{
	if (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE) || long_mode_active())
		return;
	uint64_t cr3 = vmcs_readnat(GUEST_CR3) & CR3_PAE_MASK;
	uint64_t pdpte[4] = { 0 };
	if (gpa_in_ram(v, cr3, sizeof(pdpte))) {
		const uint64_t *p = gpa_ptr(v, cr3);
		for (int i = 0; i < 4; i++)
			pdpte[i] = p[i];
	}
	vmcs_write64(GUEST_PDPTR0, pdpte[0]);
	vmcs_write64(GUEST_PDPTR1, pdpte[1]);
	vmcs_write64(GUEST_PDPTR2, pdpte[2]);
	vmcs_write64(GUEST_PDPTR3, pdpte[3]);
}

/* What a MOV to a control register did: took effect, raised #GP (injected), or
 * stopped the guest (a mode paging=shadow does not emulate). */
enum { CR_DONE = 0, CR_FAULT = -1, CR_STOPPED = -2 };

/* paging=shadow follows the guest's paging mode on each change (shadow/mode.c). */
static int shadow_follow(struct vcpu *v)
{
	return shadow_mode_changed(v) == HV_STOP ? CR_STOPPED : CR_DONE;
}

static int mov_to_cr0(struct vcpu *v, uint64_t val)
{
	uint64_t efer = guest_efer(), cr4 = guest_cr4();
	uint64_t old = cfg.shadow_paging ? guest_cr0() : vmcs_readnat(GUEST_CR0);

	if (!cr0_write_ok(val, old, cr4, efer) || !nested_cr0_ok(v, val)) {
		vcpu_inject(EXC_GP, 0);
		return CR_FAULT;
	}
	if (cfg.shadow_paging) {
		vmcs_writenat(CR0_READ_SHADOW, val);
		vmcs_writenat(GUEST_CR0, cr0_real(val));
		return shadow_follow(v);
	}
	/* Turning paging on or off with EFER.LME set switches IA-32e mode (10.8.5). */
	bool was_pg = old & CR0_PG;
	if (!was_pg && (val & CR0_PG) && (efer & EFER_LME)) {
		vmcs_write64(GUEST_IA32_EFER, efer | EFER_LMA);
		vmcs_write32(VM_ENTRY_CONTROLS, vmcs_read32(VM_ENTRY_CONTROLS) | VM_ENTRY_IA32E_MODE);
	} else if (was_pg && !(val & CR0_PG) && (efer & EFER_LMA)) {
		vmcs_write64(GUEST_IA32_EFER, efer & ~EFER_LMA);
		vmcs_write32(VM_ENTRY_CONTROLS, vmcs_read32(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE);
	}
	vmcs_writenat(CR0_READ_SHADOW, val);
	vmcs_writenat(GUEST_CR0, cr0_real(val));
	load_pdptrs_if_pae(v, val, cr4);
	return CR_DONE;
}

static int mov_to_cr4(struct vcpu *v, uint64_t val)
{
	/* Bits the CPU does not support (clear in FIXED1, other than by VMX's own rules)
	 * are reserved; VMXE too while VMX is hidden from the guest. */
	if (!cr4_write_ok(val, guest_cr4(), guest_efer(),
			  caps.cr4_fixed1 & ~(guest_sees_vmx() ? 0 : CR4_VMXE)) ||
	    !nested_cr4_ok(v, val)) {
		vcpu_inject(EXC_GP, 0);
		return CR_FAULT;
	}
	vmcs_writenat(CR4_READ_SHADOW, val);
	vmcs_writenat(GUEST_CR4, cr4_real(val));
	if (cfg.shadow_paging)
		return shadow_follow(v);
	load_pdptrs_if_pae(v, guest_cr0(), val);
	return CR_DONE;
}

enum exit_action handle_cr(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	unsigned cr = CR_QUAL_CR(q), reg = CR_QUAL_GPR(q);
	int r = 0;

	switch (CR_QUAL_TYPE(q)) {
	case CR_TYPE_MOV_TO: {
		uint64_t val = gpr_get(v, reg);
		if (cr == 0)
			r = mov_to_cr0(v, val);
		else if (cr == 4)
			r = mov_to_cr4(v, val);
		else if (cr == 3 && cfg.shadow_paging)
			r = shadow_load_cr3(v, val);
		else if (cr == 8) {
			if (val >> 4) {
				vcpu_inject(EXC_GP, 0);
				r = CR_FAULT;
			} else {
				v->cr8 = val;
			}
		} else {
			return vcpu_stop(v, EXIT_GUEST_STOPPED, "unexpected MOV to CR%u", cr);
		}
		break;
	}
	case CR_TYPE_MOV_FROM:
		if (cr == 3 && cfg.shadow_paging) {
			/* Outside IA-32e mode the destination is 32 bits, zero-extended. */
			gpr_set(v, reg, shadow.efer & EFER_LMA ? shadow.cr3 : (uint32_t)shadow.cr3);
			break;
		}
		if (cr != 8)
			return vcpu_stop(v, EXIT_GUEST_STOPPED, "unexpected MOV from CR%u", cr);
		gpr_set(v, reg, v->cr8);
		break;
	case CR_TYPE_CLTS:
		r = mov_to_cr0(v, guest_cr0() & ~CR0_TS);
		break;
	case CR_TYPE_LMSW: {
		/* LMSW loads CR0[3:0] but cannot clear PE (the source is bits 31:16 of q). */
		uint64_t old = guest_cr0(), src = (q >> 16) & 0xf;
		r = mov_to_cr0(v, (old & ~(CR0_MP | CR0_EM | CR0_TS)) | src | (old & CR0_PE));
		break;
	}
	}
	if (r == CR_STOPPED)
		return HV_STOP;
	if (r == CR_DONE)
		vcpu_skip_insn();
	return HV_RESUME;
}
