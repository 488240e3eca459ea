/* hypercall.c - VMCALL: the ABI in lib/hypercall.h. Every argument is checked; a bad
 * one gets an error code, never a fault in the hypervisor. */
#include "console.h"
#include "exits.h"
#include "hypercall.h"
#include "vmcs.h"
#include "walk.h"

#define VMCALL_INSN_LEN 3

enum exit_action handle_vmcall(struct vcpu *v)
{
	uint64_t *gpr = v->regs.gpr;
	long ret;

	/* Only the guest kernel may call: CPL is SS.DPL (24.4.1). */
	if (VMX_AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES)) != 0) {
		ret = HC_EPERM;
	} else {
		switch (gpr[GPR_RAX]) {
		case HC_NULL:
			ret = 0;
			break;
		case HC_INFO:
			ret = hv_level + 1;
			gpr[GPR_RBX] = HV_ABI_VERSION;
			gpr[GPR_RCX] = (cfg.vpid ? HV_CFG_VPID : 0) | (cfg.pmu ? HV_CFG_PMU : 0) |
				       (cfg.ept_ad ? HV_CFG_EPT_AD : 0);
			break;
		case HC_WRITE:
			if (gpr[GPR_RCX] > HC_WRITE_MAX)
				ret = HC_EINVAL;
			else if (!gpa_in_ram(v, gpr[GPR_RBX], gpr[GPR_RCX]))
				ret = HC_EFAULT;
			else {
				console_write(gpa_ptr(v, gpr[GPR_RBX]), gpr[GPR_RCX]);
				ret = (long)gpr[GPR_RCX];
			}
			break;
		case HC_WALK:
			ret = walk_2d(v, gpr[GPR_RBX], &gpr[GPR_RBX], &gpr[GPR_RCX], &gpr[GPR_RDX]);
			break;
		default:
			ret = HC_ENOSYS;
		}
	}
	gpr[GPR_RAX] = (uint64_t)ret;
	vcpu_skip(VMCALL_INSN_LEN);
	return HV_RESUME;
}
