/* vmcs_ptr.c - a guest hypervisor's VMCS pointers: VMCLEAR, VMPTRLD, VMPTRST
 * (SDM 30.3), and where its VMCS regions are. */
#include <stddef.h>
#include "cpu.h"
#include "frame.h"
#include "nested/caps12.h"
#include "nested/vmcs12.h"

#define CPUID_ADDRESS_SIZES 0x80000008u

unsigned vmx12_phys_width(void)
{
	return cpuid(CPUID_ADDRESS_SIZES, 0).a & 0xff;
}

bool vmx12_pointer_ok(uint64_t gpa)
{
	return !(gpa & (FRAME_SIZE - 1)) && !(gpa >> vmx12_phys_width());
}

uint32_t vmx12_revision_at(const struct vcpu *v, uint64_t gpa)
{
	const struct vmcs12 *r = vmcs12_at(v, gpa);

	return r ? r->revision : ~0u;
}

/* VMCLEAR's and VMPTRLD's operand, a VMCS pointer, checked as both check it: 0
 * with it in *ptr; else *out is the answer (a fault, or VMfail with bad_address
 * for a misaligned or too wide pointer, vmxon_pointer for L1's VMXON region). */
static int vmcs_pointer(struct vmx12_insn *in, enum vmx12_error bad_address,
			enum vmx12_error vmxon_pointer, uint64_t *ptr, enum exit_action *out)
{
	if (vmx12_operand_io(in, ptr, sizeof(*ptr), false, out))
		return -1;
	if (!vmx12_pointer_ok(*ptr))
		*out = vmx12_fail(in, bad_address);
	else if (*ptr == in->v->vmx12.vmxon_ptr)
		*out = vmx12_fail(in, vmxon_pointer);
	else
		return 0;
	return -1;
}

enum exit_action vmx12_vmclear(struct vmx12_insn *in)
{
	struct vcpu *v = in->v;
	enum exit_action out;
	uint64_t ptr;

	if (vmcs_pointer(in, VMXERR_VMCLEAR_INVALID_ADDRESS, VMXERR_VMCLEAR_VMXON_POINTER, &ptr,
			 &out))
		return out;
	/* The current VMCS's shadowed fields go from vmcs02 into its region; the rest
	 * of any VMCS's data is there already (vmcs12.h). */
	if (ptr == v->vmx12.current)
		shadow12_switch(v, ptr, VMCS12_NONE);
	struct vmcs12 *r = vmcs12_at(v, ptr);
	if (r)
		r->launched = 0;
	return vmx12_succeed(in);
}

enum exit_action vmx12_vmptrld(struct vmx12_insn *in)
{
	enum exit_action out;
	uint64_t ptr;

	if (vmcs_pointer(in, VMXERR_VMPTRLD_INVALID_ADDRESS, VMXERR_VMPTRLD_VMXON_POINTER, &ptr,
			 &out))
		return out;
	/* Bit 31 set asks for a shadow VMCS, which is not offered: a wrong revision. */
	if (vmx12_revision_at(in->v, ptr) != VMCS12_REVISION)
		return vmx12_fail(in, VMXERR_VMPTRLD_INCORRECT_REVISION);
	shadow12_switch(in->v, in->v->vmx12.current, ptr);
	return vmx12_succeed(in);
}

enum exit_action vmx12_vmptrst(struct vmx12_insn *in)
{
	enum exit_action out;
	uint64_t ptr = in->v->vmx12.current;

	if (vmx12_operand_io(in, &ptr, sizeof(ptr), true, &out))
		return out;
	return vmx12_succeed(in);
}
