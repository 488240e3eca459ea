/* cpuid.c - CPUID exits: the host's answer, minus what this hypervisor does not
 * offer, plus its own leaves at 0x40000000. The hottest handler: it costs one
 * VMREAD and one VMWRITE (RIP), because CPUID is always two bytes long. */
#include "cpu.h"
#include "exits.h"
#include "hypercall.h"

#define CPUID_INSN_LEN         2

enum exit_action handle_cpuid(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)v->regs.gpr[GPR_RAX];
	struct cpuid r;

	if ((leaf & 0xffff0000u) == HV_CPUID_SIGNATURE) {
		r = (struct cpuid){ 0, 0, 0, 0 };
		if (leaf == HV_CPUID_SIGNATURE)
			r = (struct cpuid){ HV_CPUID_INFO, HV_SIGNATURE_EBX, HV_SIGNATURE_ECX,
					    HV_SIGNATURE_EDX };
		else if (leaf == HV_CPUID_INFO)
			r.a = (uint32_t)hv_level + 1, r.b = HV_ABI_VERSION;
	} else {
		r = cpuid(leaf, (uint32_t)v->regs.gpr[GPR_RCX]);
		if (leaf == 1)
			r.c = (r.c & ~((guest_sees_vmx() ? 0 : CPUID_1_ECX_VMX) |
				       CPUID_1_ECX_MONITOR)) | CPUID_1_ECX_HYPERVISOR;
		else if (leaf == CPUID_LEAF_PMU && !cfg.pmu)
			r = (struct cpuid){ 0, 0, 0, 0 };
	}
	v->regs.gpr[GPR_RAX] = r.a;
	v->regs.gpr[GPR_RBX] = r.b;
	v->regs.gpr[GPR_RCX] = r.c;
	v->regs.gpr[GPR_RDX] = r.d;
	vcpu_skip(CPUID_INSN_LEN);
	return HV_RESUME;
}
