/* exit12.c - a VM exit from L2 to L1, emulated (SDM 27): L2's state and the exit
 * information are L1's to read where the processor saved them, in vmcs02 (27.2,
 * 27.3; vmcs12.h), L1's host state from vmcs12 becomes L1's state in vmcs01 (27.5),
 * and L1 runs again at its HOST_RIP. The general registers are left as L2 left
 * them, as a VM exit leaves them. */
#include <stddef.h>
#include "cr.h"
#include "exits.h"
#include "nested.h"
#include "nested/account.h"
#include "nested/timer12.h"
#include "nested/vmcs12.h"
#include "vmx.h"

#define DR7_INIT 0x400ULL
#define AR_CODE64 0xa09bu   /* execute/read accessed, S, P, L, G (27.5.2) */
#define AR_CODE32 0xc09bu   /* ... D/B instead of L */
#define AR_DATA 0xc093u     /* read/write accessed, S, P, D/B, G */
#define AR_TSS_BUSY 0x8bu
#define LIMIT_FLAT 0xffffffffu
#define LIMIT_DT 0xffffu    /* GDTR/IDTR limits after a VM exit */
#define EFER_LME_LMA (EFER_LME | EFER_LMA)

/* One field of vmcs01 (current) in the run below, counted. */
#define PUT(f, val) (vmcs_put(f, val), n++)
/* A segment of L1 as a VM exit loads it from the host-state area (27.5.2). */
#define SEG(S, sel, base, limit, ar)                                               \
	(PUT(GUEST_##S##_SELECTOR, sel), PUT(GUEST_##S##_BASE, base),              \
	 PUT(GUEST_##S##_LIMIT, limit), PUT(GUEST_##S##_AR_BYTES, ar))
/* Flat; unusable when a data segment's selector is null. */
#define DATA_AR(sel) ((sel) ? AR_DATA : AR_DATA | VMX_AR_UNUSABLE)

/* vmcs01 (current) gets L1's host state from r (27.5.1-27.5.3): straight-line, on
 * the path of every exit reflected to L1. Left out, because they already hold
 * what a VM exit would load: the activity state (L1 was active: it executed
 * VMRESUME) and vmcs01's own event injection (the exit of that VMRESUME cleared
 * it, 27.2.3, and L0 injected nothing into L1 since). */
static void load_host_state(const struct vmcs12 *r)
{
	uint32_t exit12 = (uint32_t)F12(r, VM_EXIT_CONTROLS);
	bool lm = exit12 & VM_EXIT_HOST_ADDR_SPACE_SIZE;
	uint64_t cr0 = F12(r, HOST_CR0), cr4 = F12(r, HOST_CR4);
	uint64_t efer = (exit12 & VM_EXIT_LOAD_IA32_EFER) ? F12(r, HOST_IA32_EFER)
							  : vmcs_read64(GUEST_IA32_EFER);
	uint16_t ds = F12(r, HOST_DS_SELECTOR), es = F12(r, HOST_ES_SELECTOR);
	uint16_t fs = F12(r, HOST_FS_SELECTOR), gs = F12(r, HOST_GS_SELECTOR);
	uint32_t entry01 = vmcs_read32(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE;
	unsigned n = 0;

	/* CD and NW stay as vmcs01 has them (vmcs_init.c cr0_host_owned); L1 sees
	 * its own in the read shadow. */
	PUT(GUEST_CR0, (cr0 & ~(CR0_CD | CR0_NW)) | (vmcs_readnat(GUEST_CR0) & (CR0_CD | CR0_NW)));
	PUT(CR0_READ_SHADOW, cr0);
	PUT(GUEST_CR4, cr4);
	PUT(CR4_READ_SHADOW, cr4);
	PUT(GUEST_CR3, F12(r, HOST_CR3));
	PUT(GUEST_DR7, DR7_INIT);
	PUT(GUEST_IA32_DEBUGCTL, 0);
	PUT(GUEST_SYSENTER_CS, F12(r, HOST_IA32_SYSENTER_CS));
	PUT(GUEST_SYSENTER_ESP, F12(r, HOST_IA32_SYSENTER_ESP));
	PUT(GUEST_SYSENTER_EIP, F12(r, HOST_IA32_SYSENTER_EIP));
	PUT(GUEST_IA32_EFER, lm ? efer | EFER_LME_LMA : efer & ~EFER_LME_LMA);
	PUT(VM_ENTRY_CONTROLS, entry01 | (lm ? VM_ENTRY_IA32E_MODE : 0));
	if (exit12 & VM_EXIT_LOAD_IA32_PAT)
		PUT(GUEST_IA32_PAT, F12(r, HOST_IA32_PAT));

	SEG(CS, F12(r, HOST_CS_SELECTOR), 0, LIMIT_FLAT, lm ? AR_CODE64 : AR_CODE32);
	SEG(SS, F12(r, HOST_SS_SELECTOR), 0, LIMIT_FLAT, AR_DATA);
	SEG(DS, ds, 0, LIMIT_FLAT, DATA_AR(ds));
	SEG(ES, es, 0, LIMIT_FLAT, DATA_AR(es));
	SEG(FS, fs, F12(r, HOST_FS_BASE), LIMIT_FLAT, DATA_AR(fs));
	SEG(GS, gs, F12(r, HOST_GS_BASE), LIMIT_FLAT, DATA_AR(gs));
	SEG(TR, F12(r, HOST_TR_SELECTOR), F12(r, HOST_TR_BASE), 0x67, AR_TSS_BUSY);
	/* LDTR: null and unusable; its base and limit are undefined then. */
	PUT(GUEST_LDTR_SELECTOR, 0);
	PUT(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	PUT(GUEST_GDTR_BASE, F12(r, HOST_GDTR_BASE));
	PUT(GUEST_GDTR_LIMIT, LIMIT_DT);
	PUT(GUEST_IDTR_BASE, F12(r, HOST_IDTR_BASE));
	PUT(GUEST_IDTR_LIMIT, LIMIT_DT);

	PUT(GUEST_RIP, F12(r, HOST_RIP));
	PUT(GUEST_RSP, F12(r, HOST_RSP));
	PUT(GUEST_RFLAGS, RFLAGS_FIXED);
	PUT(GUEST_INTERRUPTIBILITY_INFO, 0);
	PUT(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_writes += n;
}

/* Makes vmcs01 current with L1's host state from r, carrying L0's preemption
 * timer over from vmcs02 (its budget runs at every level; timer12.c). */
static enum exit_action to_l1(struct vcpu *v, struct vmcs12 *r)
{
	/* vmcs02 is still current: L1's timer saved, L0's budget read (timer12.c). */
	uint32_t timer = timer12_leave(r);
	enum exit_action out = vmcs02_to_l1(v);

	load_host_state(r);
	if (cfg.timeout)
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, timer);
	v->vmx12.running = NULL;
	return out;
}

/* Exit information that L0 made up rather than the processor (a synthetic exit,
 * an entry failure) for r, L1's VMCS: written over the processor's in vmcs02
 * (current), which IA32_VMX_MISC[29] allows, or into the region's slots where it
 * lives there (shadow_vmcs.c). */
static void exit_info(struct vmcs12 *r, uint32_t reason, uint64_t qual)
{
	if (vmcs12_in02(VMCS_POS_VM_EXIT_REASON)) {
		vmcs_write32(VM_EXIT_REASON, reason);
		vmcs_writenat(EXIT_QUALIFICATION, qual);
		return;
	}
	F12(r, VM_EXIT_REASON) = reason;
	F12(r, EXIT_QUALIFICATION) = qual;
}

/* Where the platform lacks IA32_VMX_MISC[29], the exit information lives in the
 * region's slots: copied there from vmcs02 (current) at each reflected exit. */
static void save_exit_info(struct vmcs12 *r)
{
	for (int i = 0; i < VMCS_FIELD_COUNT; i++) {
		uint32_t enc = vmcs_field_encoding(i);
		if ((vmcs_field_flags(enc) & VF_RO) && !vmcs12_in02(i))
			r->field[i] = vmcs_read_raw(enc);
	}
}

/* The exit of L2 reflected to L1, its reason and qualification made up by L0
 * when made_up. */
static enum exit_action reflect(struct vcpu *v, bool made_up, uint32_t reason, uint64_t qual)
{
	struct vmcs12 *r = v->vmx12.running;
	uint32_t entry02 = vmcs_read32(VM_ENTRY_CONTROLS);

	account_reflect(&nested_account, made_up ? VMX_EXIT_REASON_BASIC(reason) : ACCOUNT_OWN_REASON);
	if (!vmcs12_in02(VMCS_POS_VM_EXIT_REASON))
		save_exit_info(r);
	if (made_up)
		exit_info(r, reason, qual);
	/* A VM exit saves EFER.LMA into the "IA-32e mode guest" entry control
	 * (27.3.1): L2 may have entered or left long mode on its own. vmcs02's
	 * control has it already; L1's is in its region. */
	F12(r, VM_ENTRY_CONTROLS) = (F12(r, VM_ENTRY_CONTROLS) & ~(uint64_t)VM_ENTRY_IA32E_MODE) |
				    (entry02 & VM_ENTRY_IA32E_MODE);
	return to_l1(v, r);
}

enum exit_action exit12_as_is(struct vcpu *v)
{
	return reflect(v, false, 0, 0);
}

enum exit_action exit12_reflect(struct vcpu *v, uint32_t reason, uint64_t qual)
{
	return reflect(v, true, reason, qual);
}

enum exit_action nested_entry_failed(struct vcpu *v, uint32_t reason)
{
	struct vmcs12 *r = v->vmx12.running;

	/* The entry did not happen: vmcs02 stays clear, and so does L1's view of the
	 * vmcs12's launch state if this was its VMLAUNCH (26.8: only a VM entry that
	 * succeeds makes a VMCS launched). */
	v->vmcs->launched = false;
	if (v->vmx12.launching)
		r->launched = 0;
	/* 26.8: the exit reason with bit 31 set and the qualification, where the
	 * processor put them already when vmcs02 holds them; no guest state is saved;
	 * L1's host state is loaded as for a VM exit. */
	if (!vmcs12_in02(VMCS_POS_VM_EXIT_REASON))
		exit_info(r, reason, vmcs_readnat(EXIT_QUALIFICATION));
	return to_l1(v, r);
}
