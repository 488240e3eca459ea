/* reflect.c - whether an exit of L2 is L0's to handle or L1's (SDM 25.1-25.2 read
 * against L1's vmcs12: what would have made the processor exit to L1 had L1 run L2
 * itself). L0 keeps what is its own: external interrupts, NMIs, its preemption
 * timer (timeout=; timer12.c tells it from L1's), misconfigurations of EPT02 and EPT02's fills; an access L1 does
 * not intercept goes to L0's own handler, acting for L1 (a port or an MSR of L1's
 * devices). */
#include <stddef.h>
#include "exit.h"
#include "exits.h"
#include "nested.h"
#include "nested/ept02.h"
#include "nested/timer12.h"
#include "nested/vmcs12.h"
#include "nested/wants12.h"
#include "vmx.h"

/* A bitmap bit of L1's (wants12.h): outside L1's RAM, the page reads as all ones. */
static bool bitmap12_bit(void *ctx, uint64_t gpa, unsigned bit)
{
	const struct vcpu *v = ctx;
	uint64_t byte = gpa + bit / 8;

	if (!gpa_in_ram(v, byte, 1))
		return true;
	return *(const uint8_t *)gpa_ptr(v, byte) >> (bit % 8) & 1;
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
		int err = ept02_fill(&v->vmx12.ept02->pt, &e, gpa, &x, cfg.ept_page);
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

	/* One VMREAD, and only while a preemption timer runs: what L2 ran is charged
	 * to L0's and L1's budgets before any handler may reload the timer. */
	timer12_account();
	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		l1 = wants12_exception(r, vmcs_read32(VM_EXIT_INTR_INFO),
				       vmcs_read32(VM_EXIT_INTR_ERROR_CODE));
		break;
	case EXIT_REASON_PREEMPTION_TIMER:
		return timer12_expired();
	case EXIT_REASON_EXTERNAL_INTERRUPT:
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
		l1 = wants12_io(r, vmcs_readnat(EXIT_QUALIFICATION), bitmap12_bit, v);
		break;
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE: {
		bool wr = reason == EXIT_REASON_MSR_WRITE;
		/* Not L1's: L2's bitmap intercepts more than L0's and L1's together
		 * (msr02.c answers). */
		if (!wants12_msr(r, (uint32_t)v->regs.gpr[GPR_RCX], wr, bitmap12_bit, v))
			return wr ? msr02_wrmsr : msr02_rdmsr;
		return exit12_as_is;
	}
	case EXIT_REASON_CR_ACCESS: {
		uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
		return wants12_cr(r, q, gpr_get(v, (q >> 8) & 15)) ? exit12_as_is : not_l1s;
	}
	default:
		/* Triple fault, CPUID, GETSEC, INVD, VMCALL, the VMX instructions,
		 * XSETBV: unconditional (25.1.2); nothing else is enabled for L2 by
		 * L0 alone, so what remains is L1's too. */
		return exit12_as_is;
	}
	return l1 ? exit12_as_is : NULL;
}
