/* reflect.c - whether an exit of L2 is L0's to handle or L1's (SDM 25.1-25.2 read
 * against L1's vmcs12: what would have made the processor exit to L1 had L1 run L2
 * itself). L0 keeps what is its own: external interrupts, NMIs, its preemption
 * timer (timeout=), misconfigurations of EPT02 and EPT02's fills; an access L1 does
 * not intercept goes to L0's own handler, acting for L1 (a port or an MSR of L1's
 * devices). */
#include <stddef.h>
#include "cr.h"
#include "exception.h"
#include "exit.h"
#include "exits.h"
#include "nested.h"
#include "nested/ept02.h"
#include "nested/vmcs12.h"
#include "vmx.h"

#define F12(r, name) ((r)->field[vmcs_field_index(name)])
#define MSR_LOW_END 0x2000u
#define MSR_HIGH_BASE 0xc0000000u

/* A bit of a bitmap page of L1's at gpa; outside L1's RAM it reads as set, so that
 * the exit goes to L1 rather than being given to L2. */
static bool bitmap12_bit(const struct vcpu *v, uint64_t gpa, unsigned bit)
{
	uint64_t byte = gpa + bit / 8;

	if (!gpa_in_ram(v, byte, 1))
		return true;
	return *(const uint8_t *)gpa_ptr(v, byte) >> (bit % 8) & 1;
}

/* 25.1.3: I/O instructions, by the unconditional control or the bitmaps (which
 * take precedence when used); an access that wraps past port 0xffff exits. */
static bool io12(const struct vcpu *v, const struct vmcs12 *r, uint32_t proc)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	unsigned port = (unsigned)(q >> 16) & 0xffff, size = (unsigned)(q & 7) + 1;

	if (!(proc & CPU_BASED_USE_IO_BITMAPS))
		return proc & CPU_BASED_UNCOND_IO_EXITING;
	for (unsigned p = port; p < port + size; p++) {
		if (p > 0xffff)
			return true;
		uint64_t map = p < 0x8000 ? F12(r, IO_BITMAP_A) : F12(r, IO_BITMAP_B);
		if (bitmap12_bit(v, map, p & 0x7fff))
			return true;
	}
	return false;
}

/* 25.1.3: RDMSR/WRMSR, by the MSR bitmap (24.6.9): read bitmaps for low and high
 * MSRs at 0 and 1024, write bitmaps at 2048 and 3072; other MSRs always exit. */
static bool msr12(const struct vcpu *v, const struct vmcs12 *r, uint32_t proc, bool write)
{
	uint32_t msr = (uint32_t)v->regs.gpr[GPR_RCX];
	unsigned base = write ? 2048 * 8 : 0;

	if (!(proc & CPU_BASED_USE_MSR_BITMAPS))
		return true;
	if (msr < MSR_LOW_END)
		return bitmap12_bit(v, F12(r, MSR_BITMAP), base + msr);
	if (msr - MSR_HIGH_BASE < MSR_LOW_END)
		return bitmap12_bit(v, F12(r, MSR_BITMAP), base + 1024 * 8 + (msr - MSR_HIGH_BASE));
	return true;
}

/* 25.1.3: control-register accesses. Qualification (Table 27-3): CR number 3:0,
 * access type 5:4 (MOV to, MOV from, CLTS, LMSW), register 11:8, LMSW data 31:16. */
static bool cr12(struct vcpu *v, const struct vmcs12 *r, uint32_t proc)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	unsigned cr = q & 15, type = (q >> 4) & 3;
	bool cr4 = cr == 4;
	uint64_t mask = cr4 ? F12(r, CR4_GUEST_HOST_MASK) : F12(r, CR0_GUEST_HOST_MASK);
	uint64_t shadow = cr4 ? F12(r, CR4_READ_SHADOW) : F12(r, CR0_READ_SHADOW);

	switch (type) {
	case 0:   /* MOV to CR */
		if (cr == 3) {
			uint64_t val = gpr_get(v, (q >> 8) & 15);
			uint32_t n = (uint32_t)F12(r, CR3_TARGET_COUNT);
			if (!(proc & CPU_BASED_CR3_LOAD_EXITING))
				return false;
			for (uint32_t i = 0; i < n && i < 4; i++)
				if (r->field[vmcs_field_index(CR3_TARGET_VALUE0) + i] == val)
					return false;
			return true;
		}
		if (cr == 8)
			return proc & CPU_BASED_CR8_LOAD_EXITING;
		return (gpr_get(v, (q >> 8) & 15) ^ shadow) & mask;
	case 1:   /* MOV from CR */
		return cr == 3 ? proc & CPU_BASED_CR3_STORE_EXITING
			       : proc & CPU_BASED_CR8_STORE_EXITING;
	case 2:   /* CLTS */
		return mask & shadow & CR0_TS;
	default: { /* LMSW: PE only when it would set it; MP, EM, TS both ways */
		uint64_t src = (q >> 16) & 15;
		return ((mask & CR0_PE) && (src & CR0_PE) && !(shadow & CR0_PE)) ||
		       ((src ^ shadow) & mask & (CR0_MP | CR0_EM | CR0_TS));
	}
	}
	__builtin_unreachable();
}

/* 25.2: an exception exits by its bit in the exception bitmap; for #PF the bit's
 * meaning flips when the error code does not match (mask/match). NMIs are L0's. */
static bool exception12(const struct vmcs12 *r)
{
	uint32_t info = vmcs_read32(VM_EXIT_INTR_INFO), vec = INTR_INFO_VECTOR(info);

	if (INTR_INFO_TYPE(info) == INTR_TYPE_NMI)
		return false;
	bool bit = F12(r, EXCEPTION_BITMAP) >> vec & 1;
	if (vec != EXC_PF)
		return bit;
	uint32_t pfec = vmcs_read32(VM_EXIT_INTR_ERROR_CODE);
	bool match = (pfec & F12(r, PAGE_FAULT_ERROR_CODE_MASK)) ==
		     (uint32_t)F12(r, PAGE_FAULT_ERROR_CODE_MATCH);
	return match ? bit : !bit;
}

/* An exit L0 took only for its own reasons but cannot complete for L2 (a CR bit
 * only L0 owns): not emulated. */
static enum exit_action not_l1s(struct vcpu *v)
{
	return vmx12_not_yet(v, "an exit of L2 that L1 did not ask for (CR access)");
}

/* 28.3.3.2: an EPT violation of L2. Where L1's EPT maps the address with the
 * rights asked, EPT02 merely lacked the page: fill it and resume L2, re-delivering
 * any event the access interrupted (27.2.4). Otherwise it is L1's EPT violation
 * or misconfiguration, with the rights L1's tables give in qualification bits 5:3. */
static enum exit_action ept_violation12(struct vcpu *v)
{
	uint64_t gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS), q = vmcs_readnat(EXIT_QUALIFICATION);
	struct ept12 e;
	struct ept12_xlat x;

	ept12_of(v, F12(v->vmx12.running, EPT_POINTER), &e);
	ept02_walk12(&e, gpa, q & 7, &x);
	switch (x.status) {
	case EPT12_MAPPED: {
		int err = ept02_fill(&v->vmx12.ept02.pt, &e, gpa, &x, cfg.ept_page);
		if (err)
			return vcpu_stop(v, EXIT_GUEST_STOPPED, "cannot fill EPT02 at L2-physical "
					 "%#lx: error %d (L1 changed its EPT without INVEPT?)",
					 gpa, err);
		uint32_t idt = vmcs_read32(IDT_VECTORING_INFO_FIELD);
		if (idt & INTR_INFO_VALID) {
			vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, idt);
			vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE,
				     vmcs_read32(IDT_VECTORING_ERROR_CODE));
			vmcs_write32(VM_ENTRY_INSTRUCTION_LEN,
				     vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
		}
		return HV_RESUME;
	}
	case EPT12_VIOLATION:
		return exit12_reflect(v, EXIT_REASON_EPT_VIOLATION, (q & ~0x38ULL) | x.qual_rights);
	case EPT12_MISCONFIG:
		return exit12_reflect(v, EXIT_REASON_EPT_MISCONFIG, 0);
	default:
		return vcpu_stop(v, EXIT_GUEST_STOPPED, "L1's EPT maps L2-physical %#lx through "
				 "L1-physical %#lx, outside L1's RAM", gpa, x.gpa1);
	}
}

exit_handler_fn nested_reflect_handler(struct vcpu *v, unsigned reason)
{
	const struct vmcs12 *r = v->vmx12.running;
	uint32_t proc = (uint32_t)F12(r, CPU_BASED_VM_EXEC_CONTROL);
	bool l1;

	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		l1 = exception12(r);
		break;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
	case EXIT_REASON_PREEMPTION_TIMER:
	case EXIT_REASON_EPT_MISCONFIG:
		return NULL;
	case EXIT_REASON_EPT_VIOLATION:
		return ept_violation12;
	case EXIT_REASON_HLT:
		l1 = proc & CPU_BASED_HLT_EXITING;
		break;
	case EXIT_REASON_RDPMC:
		l1 = proc & CPU_BASED_RDPMC_EXITING;
		break;
	case EXIT_REASON_MWAIT_INSTRUCTION:
		l1 = proc & CPU_BASED_MWAIT_EXITING;
		break;
	case EXIT_REASON_MONITOR_INSTRUCTION:
		l1 = proc & CPU_BASED_MONITOR_EXITING;
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		l1 = io12(v, r, proc);
		break;
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
		l1 = msr12(v, r, proc, reason == EXIT_REASON_MSR_WRITE);
		break;
	case EXIT_REASON_CR_ACCESS:
		return cr12(v, r, proc) ? exit12_as_is : not_l1s;
	default:
		/* Triple fault, CPUID, GETSEC, INVD, VMCALL, the VMX instructions,
		 * XSETBV: unconditional (25.1.2); nothing else is enabled for L2 by
		 * L0 alone, so what remains is L1's too. */
		return exit12_as_is;
	}
	return l1 ? exit12_as_is : NULL;
}
