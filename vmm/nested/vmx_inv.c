/* vmx_inv.c - INVEPT and INVVPID of a guest hypervisor (SDM 30.3): the type in the
 * register operand checked against the capability MSR L1 reads (else VMfail 28),
 * the 128-bit descriptor read from memory and checked (an EPTP VM entry would
 * refuse, VPID 0, a non-canonical address: VMfail 28). INVEPT drops EPT02, which the next
 * entry to L2 composes afresh from L1's EPT as it is then; INVVPID invalidates
 * what the processor cached for L2's VPID. */
#include "cr.h"
#include "exits.h"
#include "nested.h"
#include "nested/merge.h"
#include "nested/operand.h"
#include "nested/vmcs12.h"
#include "printf.h"
#include "vmx.h"

struct inv_desc {
	uint64_t lo, hi;  /* INVEPT: EPTP, reserved; INVVPID: VPID in 15:0, linear address */
};

/* The type and descriptor, or the failure in *out (a fault, or VMfail 28 for a
 * type the capability type_bits[type] does not offer). */
static int operands(struct vmx12_insn *in, const uint64_t *type_bits, unsigned types,
		    uint64_t *type, struct inv_desc *d, enum exit_action *out)
{
	uint64_t cap = 0;

	nested_rdmsr(MSR_IA32_VMX_EPT_VPID_CAP, &cap);
	*type = gpr_get(in->v, in->op.reg2);
	if (!in->long_mode)
		*type = (uint32_t)*type;
	if (*type >= types || !(cap & type_bits[*type])) {
		*out = vmx12_fail(in, VMXERR_INVALID_OPERAND_INVEPT_INVVPID);
		return -1;
	}
	return vmx12_operand_io(in, d, sizeof(*d), false, out);
}

enum exit_action vmx12_invept(struct vmx12_insn *in)
{
	static const uint64_t types[] = { 0, VMX_EPT_EXTENT_CONTEXT_BIT, VMX_EPT_EXTENT_GLOBAL_BIT };
	enum exit_action out;
	struct inv_desc d;
	uint64_t type;

	if (operands(in, types, 3, &type, &d, &out))
		return out;
	/* Single-context: an EPTP that VM entry would refuse is an invalid operand. */
	uint64_t cap = 0;
	nested_rdmsr(MSR_IA32_VMX_EPT_VPID_CAP, &cap);
	if (type == VMX_EPT_EXTENT_CONTEXT && !eptp12_ok(cap, vmx12_phys_width(), d.lo))
		return vmx12_fail(in, VMXERR_INVALID_OPERAND_INVEPT_INVVPID);
	/* Whichever context is named, it may be an EPT02's. The next entry composes it
	 * afresh, as the dirty path does. */
	ept02_drop(in->v);
	vmx12_dirty(in->v);
	return vmx12_succeed(in);
}

enum exit_action vmx12_invvpid(struct vmx12_insn *in)
{
	static const uint64_t types[] = {
		VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT, VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT,
		VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT, VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT,
	};
	enum exit_action out;
	struct inv_desc d;
	uint64_t type;

	if (operands(in, types, 4, &type, &d, &out))
		return out;
	/* Bits 63:16 of the first quadword are reserved; VPID 0 is refused but by
	 * the all-context type. */
	if ((d.lo >> 16) || (type != VMX_VPID_EXTENT_ALL_CONTEXT && !(uint16_t)d.lo))
		return vmx12_fail(in, VMXERR_INVALID_OPERAND_INVEPT_INVVPID);
	/* Individual-address: the address to flush must be canonical. */
	if (type == VMX_VPID_EXTENT_INDIVIDUAL_ADDR &&
	    !vmx_canonical(d.hi, (guest_cr4() & CR4_LA57) ? 57 : 48))
		return vmx12_fail(in, VMXERR_INVALID_OPERAND_INVEPT_INVVPID);
	/* Every VPID of L1's is L2's one VPID here; invalidating all of it is a
	 * superset of any type's effect, which the SDM allows (28.4.3.3). */
	if (cfg.vpid && invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, (uint16_t)(in->v->vpid + 1), 0))
		panic("INVVPID of L2's VPID failed");
	return vmx12_succeed(in);
}
