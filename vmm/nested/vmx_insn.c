/* vmx_insn.c - the exits of a guest hypervisor's VMX instructions: the checks all
 * of them share, their outcomes (VMsucceed / VMfail, 30.2) and their memory
 * operands. The VMX instructions exit from VMX non-root whatever the guest's state
 * (25.1.2), before the CPU checks anything, so every check that makes them #UD or
 * #GP on bare hardware is made here, on the state the guest sees. */
#include "cpu.h"
#include "cr.h"
#include "exception.h"
#include "exit.h"
#include "exits.h"
#include "gva.h"
#include "msr.h"
#include "nested.h"
#include "nested/vmcs12.h"
#include "vmcs.h"

#define RFLAGS_CF (1ULL << 0)
#define RFLAGS_ZF (1ULL << 6)
/* CF, PF, AF, ZF, SF, OF: what VMsucceed clears and VMfail sets one of. */
#define RFLAGS_VMX_STATUS 0x8d5ULL
#define AR_L (1u << 13)   /* CS.L: 64-bit code segment */
#define PF_P (1u << 0)    /* #PF error code: a protection violation, not a missing page */
#define PF_W (1u << 1)    /* ... on a write */

static enum exit_action outcome(struct vmx12_insn *in, uint64_t flag)
{
	(void)in;
	vmcs_writenat(GUEST_RFLAGS, (vmcs_readnat(GUEST_RFLAGS) & ~RFLAGS_VMX_STATUS) | flag);
	vcpu_skip_insn();
	return HV_RESUME;
}

enum exit_action vmx12_succeed(struct vmx12_insn *in)
{
	return outcome(in, 0);
}

enum exit_action vmx12_fail_invalid(struct vmx12_insn *in)
{
	return outcome(in, RFLAGS_CF);
}

enum exit_action vmx12_fail(struct vmx12_insn *in, enum vmx12_error error)
{
	struct vmcs12 *cur = vmcs12_at(in->v, in->v->vmx12.current);

	if (in->v->vmx12.current == VMCS12_NONE || !cur)
		return vmx12_fail_invalid(in);
	vmcs12_write(in->v, cur, VM_INSTRUCTION_ERROR, error);
	return outcome(in, RFLAGS_ZF);
}

static void inject_pf(uint64_t gla, uint32_t error)
{
	/* VM entry does not load CR2 (the guest's CR2 is the CPU's): set it here. */
	asm volatile("mov %0, %%cr2" : : "r"(gla));
	vcpu_inject(EXC_PF, error);
}

int vmx12_operand_io(struct vmx12_insn *in, void *buf, unsigned size, bool write,
		     enum exit_action *out)
{
	static const uint32_t seg_base = GUEST_ES_BASE, seg_limit = GUEST_ES_LIMIT;
	const struct vmx_operand *op = &in->op;
	/* The segment fields are in ES, CS, SS, DS, FS, GS order, encodings 2 apart. */
	struct vmx_segment s = {
		.base = vmcs_read_raw(seg_base + 2 * op->seg),
		.limit = (uint32_t)vmcs_read_raw(seg_limit + 2 * op->seg),
		.long_mode = in->long_mode,
		.va_bits = (guest_cr4() & CR4_LA57) ? 57 : 48,
	};
	uint64_t gla, fault_gla;
	int vec = vmx_operand_linear(op, &s, size, &gla);

	*out = HV_RESUME;
	if (vec) {
		vcpu_inject(vec, 0);
		return -1;
	}
	switch (gva_access(in->v, gla, buf, size, write, &fault_gla)) {
	case GVA_OK:
		return 0;
	case GVA_NOT_PRESENT:
		inject_pf(fault_gla, write ? PF_W : 0);
		return -1;
	case GVA_READ_ONLY:
		inject_pf(fault_gla, PF_P | PF_W);
		return -1;
	default:
		*out = vcpu_stop(in->v, EXIT_GUEST_STOPPED,
				 "a VMX instruction's operand at %#lx is outside RAM or under "
				 "paging outside long mode: not emulated", gla);
		return -1;
	}
}

/* #UD: outside protected mode, in virtual-8086 or compatibility mode, with
 * CR4.VMXE clear, or (but for VMXON) outside VMX operation. */
static bool raises_ud(const struct vcpu *v, unsigned reason, bool *long_mode)
{
	bool lma = vmcs_read64(GUEST_IA32_EFER) & EFER_LMA;
	bool cs_l = vmcs_read32(GUEST_CS_AR_BYTES) & AR_L;

	*long_mode = lma && cs_l;
	if (!v->vmx12.on && reason != EXIT_REASON_VMON)
		return true;
	/* In VMX operation VMX fixes CR0.PE and CR4.VMXE (23.8), so both are
	 * host-owned (vmxon.c, cr0_host_owned) and the guest's values are those of
	 * the read shadows: read directly, as this runs at every VMRESUME. */
	uint64_t cr0 = v->vmx12.on ? vmcs_readnat(CR0_READ_SHADOW) : guest_cr0();
	uint64_t cr4 = v->vmx12.on ? vmcs_readnat(CR4_READ_SHADOW) : guest_cr4();
	return !(cr0 & CR0_PE) || !(cr4 & CR4_VMXE) ||
	       (vmcs_readnat(GUEST_RFLAGS) & RFLAGS_VM) || (lma && !cs_l);
}

enum exit_action vmx12_not_yet(struct vcpu *v, const char *what)
{
	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "%s by the guest hypervisor: nested=on does not implement it yet", what);
}

enum exit_action nested_vmx_insn(struct vcpu *v, unsigned reason)
{
	struct vmx12_insn in = { .v = v };

	/* VM functions are not offered, and VMFUNC outside VMX non-root is #UD anyway. */
	if (reason == EXIT_REASON_VMFUNC || raises_ud(v, reason, &in.long_mode)) {
		vcpu_inject(EXC_UD, 0);
		return HV_RESUME;
	}
	if (VMX_AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES))) {   /* CPL > 0 */
		vcpu_inject(EXC_GP, 0);
		return HV_RESUME;
	}
	if (reason != EXIT_REASON_VMOFF && reason != EXIT_REASON_VMLAUNCH &&
	    reason != EXIT_REASON_VMRESUME) {
		uint64_t gpr[16];
		for (unsigned i = 0; i < 16; i++)
			gpr[i] = gpr_get(v, i);
		bool reg_form = reason == EXIT_REASON_VMREAD || reason == EXIT_REASON_VMWRITE;
		if (vmx_operand_decode(vmcs_read32(VMX_INSTRUCTION_INFO),
				       vmcs_readnat(EXIT_QUALIFICATION), gpr, reg_form, &in.op)) {
			vcpu_inject(EXC_UD, 0);   /* not an encoding the SDM defines */
			return HV_RESUME;
		}
	}
	switch (reason) {
	case EXIT_REASON_VMON: return vmx12_vmxon(&in);
	case EXIT_REASON_VMOFF: return vmx12_vmxoff(&in);
	case EXIT_REASON_VMCLEAR: return vmx12_vmclear(&in);
	case EXIT_REASON_VMPTRLD: return vmx12_vmptrld(&in);
	case EXIT_REASON_VMPTRST: return vmx12_vmptrst(&in);
	case EXIT_REASON_VMREAD: return vmx12_vmread(&in);
	case EXIT_REASON_VMWRITE: return vmx12_vmwrite(&in);
	case EXIT_REASON_VMLAUNCH: return vmx12_vmentry(&in, true);
	case EXIT_REASON_VMRESUME: return vmx12_vmentry(&in, false);
	case EXIT_REASON_INVEPT: return vmx12_invept(&in);
	default: return vmx12_invvpid(&in);
	}
}
