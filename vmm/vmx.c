/* vmx.c - VMX detection, entering VMX operation, VMX regions, error decoding. */
#include "vmx_setup.h"
#include "caps.h"
#include "cpu.h"
#include "cr.h"
#include "fmt.h"
#include "hv.h"
#include "kernel.h"
#include "printf.h"
#include "vmcs.h"

struct vmx_caps caps;

int vmx_detect(char *why, size_t n)
{
	if (!(cpuid(1, 0).c & CPUID_1_ECX_VMX)) {
		sformat(why, n, "CPUID.1:ECX.VMX[5] is clear");
		return -1;
	}
	/* IA32_FEATURE_CONTROL (SDM 23.7): firmware may lock VMX off; if nobody locked
	 * it, we enable VMXON outside SMX and lock it ourselves. */
	uint64_t fc;
	if (rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc)) {
		sformat(why, n, "IA32_FEATURE_CONTROL is not readable");
		return -1;
	}
	if (!(fc & FEATURE_CONTROL_LOCKED)) {
		fc |= FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
		if (wrmsr_safe(MSR_IA32_FEATURE_CONTROL, fc)) {
			sformat(why, n, "IA32_FEATURE_CONTROL cannot be locked");
			return -1;
		}
	} else if (!(fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX)) {
		sformat(why, n, "firmware locked IA32_FEATURE_CONTROL with VMX off (%#lx)", fc);
		return -1;
	}

	caps.basic = rdmsr(MSR_IA32_VMX_BASIC);
	caps.misc = rdmsr(MSR_IA32_VMX_MISC);
	caps.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	caps.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	caps.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	caps.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	caps.pin = rdmsr(vmx_cap_msr(caps.basic, MSR_IA32_VMX_PINBASED_CTLS,
				     MSR_IA32_VMX_TRUE_PINBASED_CTLS));
	caps.proc = rdmsr(vmx_cap_msr(caps.basic, MSR_IA32_VMX_PROCBASED_CTLS,
				      MSR_IA32_VMX_TRUE_PROCBASED_CTLS));
	caps.exit = rdmsr(vmx_cap_msr(caps.basic, MSR_IA32_VMX_EXIT_CTLS,
				      MSR_IA32_VMX_TRUE_EXIT_CTLS));
	caps.entry = rdmsr(vmx_cap_msr(caps.basic, MSR_IA32_VMX_ENTRY_CTLS,
				       MSR_IA32_VMX_TRUE_ENTRY_CTLS));
	/* Secondary controls and EPT exist only if the primary controls allow activating them. */
	if (!(caps.proc >> 32 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)) {
		sformat(why, n, "no secondary processor-based controls, so no EPT");
		return -1;
	}
	caps.proc2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	uint32_t need = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST;
	if ((uint32_t)(caps.proc2 >> 32 & need) != need) {
		sformat(why, n, "EPT with unrestricted guest is required (PROCBASED_CTLS2 %#lx)",
			caps.proc2);
		return -1;
	}
	caps.ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	return 0;
}

uint64_t vmx_alloc_region(void)
{
	uint64_t pa = frames_get_table(NULL);

	*(uint32_t *)(uintptr_t)pa = VMX_BASIC_REVISION(caps.basic);
	return pa;
}

void vmx_enable(void)
{
	/* CR0 and CR4 must respect the fixed bits in VMX operation (23.8); CR4.VMXE is one. */
	write_cr0(vmx_fixed_cr(read_cr0(), caps.cr0_fixed0, caps.cr0_fixed1));
	write_cr4(vmx_fixed_cr(read_cr4() | CR4_VMXE, caps.cr4_fixed0, caps.cr4_fixed1));
	int r = vmxon(vmx_alloc_region());
	if (r)
		panic("VMXON failed (%s)", r == 1 ? "VMfailInvalid" : "VMfailValid");
}

/* VM-instruction error numbers, SDM 30.4, Table 30-1. */
const char *vmx_insn_error_str(uint32_t e)
{
	static const char *const s[] = {
		[1] = "VMCALL executed in VMX root operation",
		[2] = "VMCLEAR with invalid physical address",
		[3] = "VMCLEAR with VMXON pointer",
		[4] = "VMLAUNCH with non-clear VMCS",
		[5] = "VMRESUME with non-launched VMCS",
		[6] = "VMRESUME after VMXOFF",
		[7] = "VM entry with invalid control field(s)",
		[8] = "VM entry with invalid host-state field(s)",
		[9] = "VMPTRLD with invalid physical address",
		[10] = "VMPTRLD with VMXON pointer",
		[11] = "VMPTRLD with incorrect VMCS revision identifier",
		[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
		[13] = "VMWRITE to read-only VMCS component",
		[15] = "VMXON executed in VMX root operation",
		[16] = "VM entry with invalid executive-VMCS pointer",
		[17] = "VM entry with non-launched executive VMCS",
		[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
		[19] = "VMCALL with non-clear VMCS",
		[20] = "VMCALL with invalid VM-exit control fields",
		[22] = "VMCALL with incorrect MSEG revision identifier",
		[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
		[24] = "VMCALL with invalid SMM-monitor features",
		[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
		[26] = "VM entry with events blocked by MOV SS",
		[28] = "invalid operand to INVEPT/INVVPID",
	};
	if (e < sizeof(s) / sizeof(s[0]) && s[e])
		return s[e];
	return "unknown VM-instruction error";
}
