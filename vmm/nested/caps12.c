/* caps12.c - L1's VMX capability MSRs; see caps12.h.
 *
 * What is taken away (SDM Appendix A): a control whose allowed-1 bit is clear must
 * be 0, so clearing it there withdraws the feature. Withdrawn: VMCS shadowing, PML
 * and VM functions (L0 would have to emulate each for L1's guest), the APIC
 * virtualization family (TPR shadow, virtualize APIC accesses, virtualize x2APIC
 * mode, APIC-register virtualization, virtual-interrupt delivery, posted
 * interrupts: this hypervisor virtualizes no APIC), EPT accessed/dirty flags (the
 * platform sets them only in the EPT in use, never in L1's own tables) and
 * IA32_VMX_MISC[29], VMWRITE to read-only fields (it goes with VMCS shadowing). */
#include "caps12.h"
#include "nested/shadow_vmcs.h"
#include "msr.h"
#include "vmx.h"

#define PIN_BASED_POSTED_INTR          (1u << 7)
#define SECONDARY_EXEC_VIRTUALIZE_X2APIC (1u << 4)
#define SECONDARY_EXEC_APIC_REGISTER_VIRT (1u << 8)
#define SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY (1u << 9)
#define SECONDARY_EXEC_ENABLE_VMFUNC   (1u << 13)
#define SECONDARY_EXEC_ENABLE_PML      (1u << 17)
#define VMX_BASIC_REVISION_MASK        0x7fffffffULL

/* Clears the allowed-1 settings (bits 63:32) of the controls in bits. */
static uint64_t withdraw(uint64_t cap, uint32_t bits)
{
	return cap & ~((uint64_t)bits << 32);
}

bool caps12_msr(uint32_t msr, uint64_t platform, uint64_t *l1)
{
	switch (msr) {
	case MSR_IA32_VMX_BASIC:
		*l1 = (platform & ~VMX_BASIC_REVISION_MASK) | VMCS12_REVISION;
		return true;
	case MSR_IA32_VMX_PINBASED_CTLS:
	case MSR_IA32_VMX_TRUE_PINBASED_CTLS:
		*l1 = withdraw(platform, PIN_BASED_POSTED_INTR);
		return true;
	case MSR_IA32_VMX_PROCBASED_CTLS:
	case MSR_IA32_VMX_TRUE_PROCBASED_CTLS:
		*l1 = withdraw(platform, CPU_BASED_TPR_SHADOW);
		return true;
	case MSR_IA32_VMX_PROCBASED_CTLS2:
		*l1 = withdraw(platform, SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES |
					 SECONDARY_EXEC_VIRTUALIZE_X2APIC |
					 SECONDARY_EXEC_APIC_REGISTER_VIRT |
					 SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY |
					 SECONDARY_EXEC_ENABLE_VMFUNC | SECONDARY_EXEC_SHADOW_VMCS |
					 SECONDARY_EXEC_ENABLE_PML);
		return true;
	case MSR_IA32_VMX_MISC:
		*l1 = platform & ~VMX_MISC_VMWRITE_ANY_FIELD;
		return true;
	case MSR_IA32_VMX_EPT_VPID_CAP:
		*l1 = platform & ~VMX_EPT_AD_BIT;
		return true;
	case MSR_IA32_VMX_EXIT_CTLS:
	case MSR_IA32_VMX_ENTRY_CTLS:
	case MSR_IA32_VMX_TRUE_EXIT_CTLS:
	case MSR_IA32_VMX_TRUE_ENTRY_CTLS:
	case MSR_IA32_VMX_CR0_FIXED0:
	case MSR_IA32_VMX_CR0_FIXED1:
	case MSR_IA32_VMX_CR4_FIXED0:
	case MSR_IA32_VMX_CR4_FIXED1:
	case MSR_IA32_VMX_VMCS_ENUM:
		*l1 = platform;
		return true;
	default:  /* IA32_VMX_VMFUNC, and anything outside the range */
		return false;
	}
}
