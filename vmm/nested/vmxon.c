/* vmxon.c - VMXON and VMXOFF of a guest hypervisor (SDM 30.3). */
#include "cr.h"
#include "exception.h"
#include "exits.h"
#include "nested/caps12.h"
#include "nested/vmcs12.h"
#include "vmcs.h"

/* In VMX operation the guest may not clear CR0.PE or PG (23.8), which it otherwise
 * owns: cr0_host_owned() adds them while vmx12.on, and the read shadow must then
 * hold their current values. */
static void set_vmx_operation(struct vcpu *v, bool on)
{
	uint64_t cr0 = guest_cr0();

	v->vmx12.on = on;
	vmcs_writenat(CR0_READ_SHADOW, cr0);
	vmcs_writenat(CR0_GUEST_HOST_MASK, cr0_host_owned());
}

enum exit_action vmx12_vmxon(struct vmx12_insn *in)
{
	struct vcpu *v = in->v;
	enum exit_action out;
	uint64_t ptr;

	if (v->vmx12.on)
		return vmx12_fail(in, VMXERR_VMXON_IN_VMX_ROOT);
	/* CR0 and CR4 must already hold VMX operation's fixed bits (CPL and
	 * IA32_FEATURE_CONTROL, locked with VMXON allowed, are fine here). */
	if (!vmx_cr_fixed_ok(guest_cr0(), caps.cr0_fixed0, caps.cr0_fixed1) ||
	    !vmx_cr_fixed_ok(guest_cr4(), caps.cr4_fixed0, caps.cr4_fixed1)) {
		vcpu_inject(EXC_GP, 0);
		return HV_RESUME;
	}
	if (vmx12_operand_io(in, &ptr, sizeof(ptr), false, &out))
		return out;
	/* Bit 31 (a shadow VMCS) is refused here even where VMPTRLD would take it. */
	if (!vmx12_pointer_ok(ptr) || vmx12_revision_at(v, ptr) != VMCS12_REVISION)
		return vmx12_fail_invalid(in);
	set_vmx_operation(v, true);
	v->vmx12.vmxon_ptr = ptr;
	v->vmx12.current = VMCS12_NONE;
	shadow12_init(v);
	shadow12_sync(v);
	return vmx12_succeed(in);
}

enum exit_action vmx12_vmxoff(struct vmx12_insn *in)
{
	set_vmx_operation(in->v, false);
	/* The current VMCS's data goes to its region, as a VMCLEAR would put it. */
	shadow12_switch(in->v, in->v->vmx12.current, VMCS12_NONE);
	shadow12_sync(in->v);
	return vmx12_succeed(in);
}
