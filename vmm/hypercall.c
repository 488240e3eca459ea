/* hypercall.c - VMCALL: the ABI in lib/hypercall.h. Every argument is checked; a bad
 * one gets an error code, never a fault in the hypervisor. */
#include "console.h"
#include "exits.h"
#include "hypercall.h"
#include "vmcs.h"
#include "walk.h"

#define VMCALL_INSN_LEN 3

/* HC_EXITS: the exits of our guest (its own, not its guest's), from the statistics
 * run.c keeps. run.c counts an exit after its handler returns, so the call asking is
 * not yet among them. */
static long exits_so_far(uint64_t *reason_inout)
{
	const struct exit_stat *s = exit_stats[LEVEL_L1];
	uint64_t total = 0, reason = *reason_inout;

	for (unsigned r = 0; r <= EXIT_REASON_MAX; r++)
		total += s[r].count;
	/* The last slot gathers the reasons past the table: no one reason's count. */
	*reason_inout = reason < EXIT_REASON_MAX ? s[reason].count : 0;
	return (long)total;
}

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
		case HC_EXITS:
			ret = exits_so_far(&gpr[GPR_RBX]);
			break;
		default:
			ret = HC_ENOSYS;
		}
	}
	gpr[GPR_RAX] = (uint64_t)ret;
	vcpu_skip(VMCALL_INSN_LEN);
	return HV_RESUME;
}
