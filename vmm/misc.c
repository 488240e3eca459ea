/* misc.c - the small exits: XSETBV, HLT, INVD, instructions answered with an
 * exception, triple faults, NMIs, external interrupts and the preemption timer. */
#include "cpu.h"
#include "cr.h"
#include "cr_check.h"
#include "exit.h"
#include "exits.h"
#include "nested/nested.h"
#include "vmcs.h"

/* XCR0 is not switched by VMX: the value the guest sets is the one the CPU then uses
 * for us too, which is harmless because the hypervisor never touches vector state.
 * So validate exactly as XSETBV would (SDM Vol. 1, 13.3) and then execute it. */
enum exit_action handle_xsetbv(struct vcpu *v)
{
	uint32_t index = (uint32_t)v->regs.gpr[GPR_RCX];
	uint64_t val = edx_eax(v);
	struct cpuid d = cpuid(0xd, 0);
	uint64_t supported = ((uint64_t)d.d << 32) | d.a;

	if (!(vmcs_readnat(GUEST_CR4) & CR4_OSXSAVE)) {
		vcpu_inject(EXC_UD, 0);
		return HV_RESUME;
	}
	if (!xcr0_write_ok(index, val, supported) || xsetbv_safe(0, val)) {
		vcpu_inject(EXC_GP, 0);
		return HV_RESUME;
	}
	vcpu_skip_insn();
	return HV_RESUME;
}

/* This hypervisor delivers no interrupts, so a halted guest would sleep for ever. */
enum exit_action handle_hlt(struct vcpu *v)
{
	if (!(vmcs_readnat(GUEST_RFLAGS) & RFLAGS_IF))
		return vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "HLT with interrupts disabled (RFLAGS.IF=0): it can never wake");
	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "HLT with interrupts enabled, but this hypervisor delivers no "
			 "interrupts: it would never wake");
}

/* INVD would discard the hypervisor's dirty cache lines as well as the guest's;
 * treat it as the write-back flush the guest can rely on being harmless. */
enum exit_action handle_invd(struct vcpu *v)
{
	(void)v;
	vcpu_skip_insn();
	return HV_RESUME;
}

enum exit_action handle_ud(struct vcpu *v)
{
	(void)v;
	vcpu_inject(EXC_UD, 0);
	return HV_RESUME;
}

/* VMLAUNCH, VMREAD, INVEPT and the others exit whatever the guest's state (25.1.3).
 * VMX hidden, they raise #UD, as on a CPU without VMX; offered, vmm/nested/
 * emulates them. */
enum exit_action handle_vmx_insn(struct vcpu *v)
{
	if (!guest_sees_vmx())
		return handle_ud(v);
	return nested_vmx_insn(v, VMX_EXIT_REASON_BASIC(vmcs_read32(VM_EXIT_REASON)));
}

enum exit_action handle_gp(struct vcpu *v)
{
	(void)v;
	vcpu_inject(EXC_GP, 0);
	return HV_RESUME;
}

enum exit_action handle_triple_fault(struct vcpu *v)
{
	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "triple fault (an exception it could not handle): cr0 %#lx cr3 %#lx "
			 "cr4 %#lx idtr %#lx+%#x",
			 guest_cr0(), guest_cr3(), guest_cr4(),
			 vmcs_readnat(GUEST_IDTR_BASE),
			 vmcs_read32(GUEST_IDTR_LIMIT));
}

enum exit_action handle_exception_nmi(struct vcpu *v)
{
	uint32_t info = vmcs_read32(VM_EXIT_INTR_INFO);

	if (cfg.shadow_paging && INTR_INFO_VECTOR(info) == EXC_PF &&
	    INTR_INFO_TYPE(info) == INTR_TYPE_HARD_EXCEPTION)
		return shadow_page_fault(v);
	/* trap_ud=on: hand the #UD back to the guest exactly as the CPU raised it. RIP
	 * still points at the faulting instruction, as a fault requires. */
	if (cfg.trap_ud && (info & INTR_INFO_VALID) &&
	    INTR_INFO_TYPE(info) == INTR_TYPE_HARD_EXCEPTION &&
	    INTR_INFO_VECTOR(info) == EXC_UD) {
		vcpu_inject(EXC_UD, 0);
		return HV_RESUME;
	}

	return vcpu_stop(v, EXIT_GUEST_STOPPED, "unexpected %s (interruption info %#x)",
			 INTR_INFO_TYPE(info) == INTR_TYPE_NMI ? "NMI" : "exception exit", info);
}

enum exit_action handle_external_interrupt(struct vcpu *v)
{
	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "external interrupt, but the hypervisor masked every source");
}

enum exit_action handle_preemption_timer(struct vcpu *v)
{
	if (v->timer_left) {
		uint64_t n = v->timer_left > 0xffffffffu ? 0xffffffffu : v->timer_left;
		v->timer_left -= n;
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, (uint32_t)n);
		return HV_RESUME;
	}
	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "ran past timeout=%lu TSC ticks (VMX-preemption timer)", cfg.timeout);
}
