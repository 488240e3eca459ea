/* merge.c - checking L1's controls and merging them with L0's; see merge.h. */
#include "nested/merge.h"
#include "caps.h"
#include "vmx.h"

/* Bits of IA32_VMX_EPT_VPID_CAP (Appendix A.10) and controls vmx.h does not name. */
#define VMX_EPTP_UC_BIT                (1ULL << 8)
#define VMX_EPTP_MT_MASK               7ULL
#define VMX_EPTP_PWL_MASK              (7ULL << VMX_EPTP_PWL_SHIFT)
#define VMX_EPTP_RESERVED_11_7         0xf80ULL
#define VM_ENTRY_SMM                   (1u << 10)
#define VM_ENTRY_DEACT_DUAL_MONITOR    (1u << 11)
#define VMX_MISC_CR3_TARGETS(m)        ((unsigned)((m) >> 16) & 0x1ff)
/* The secondary controls that are L0's in vmcs02: its EPT (EPT02) and VPIDs. */
#define PROC2_L0_OWNS (SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID)
#define ENTRY_L0_LOADS (VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT | \
			VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL)

static uint64_t cap(const struct vmx_msrs *caps, uint32_t msr)
{
	return caps->msr[msr - MSR_IA32_VMX_FIRST];
}

/* The capability MSR that governs a control word (Appendix A.3.1). */
static uint64_t governing(const struct vmx_msrs *caps, uint32_t msr, uint32_t true_msr)
{
	return cap(caps, vmx_cap_msr(cap(caps, MSR_IA32_VMX_BASIC), msr, true_msr));
}

/* A control word VM entry accepts: its allowed-0 bits set, nothing outside its
 * allowed-1 bits (A.3-A.5). */
static bool settings_ok(uint64_t msr, uint32_t ctl)
{
	return vmx_adjust_controls(msr, ctl, 0) == ctl;
}

/* A physical address with its low bits clear and nothing beyond the width. */
static bool paddr_ok(const struct vmx_msrs *caps, uint64_t pa, uint64_t align)
{
	return !(pa & (align - 1)) && !(pa >> caps->maxphyaddr);
}

/* An MSR-store or MSR-load list (26.2.1.2, 26.2.1.3): 16-byte aligned, its last
 * byte within the physical-address width. */
static bool msr_list_ok(const struct vmx_msrs *caps, uint64_t pa, uint32_t count)
{
	return !count || (paddr_ok(caps, pa, 16) &&
			  paddr_ok(caps, pa + (uint64_t)count * 16 - 1, 1));
}

bool eptp12_ok(uint64_t ept, unsigned maxphyaddr, uint64_t eptp)
{
	uint64_t mt = eptp & VMX_EPTP_MT_MASK;
	uint64_t pwl = (eptp & VMX_EPTP_PWL_MASK) >> VMX_EPTP_PWL_SHIFT;

	if (!((mt == MEMTYPE_UC && (ept & VMX_EPTP_UC_BIT)) ||
	      (mt == MEMTYPE_WB && (ept & VMX_EPTP_WB_BIT))))
		return false;
	if (!((pwl == 3 && (ept & VMX_EPT_PAGE_WALK_4_BIT)) ||
	      (pwl == 4 && (ept & VMX_EPT_PAGE_WALK_5_BIT))))
		return false;
	if ((eptp & VMX_EPTP_AD_ENABLE) && !(ept & VMX_EPT_AD_BIT))
		return false;
	return !(eptp & VMX_EPTP_RESERVED_11_7) && !(eptp >> maxphyaddr);
}

static bool eptp_ok(const struct vmx_msrs *caps, uint64_t eptp)
{
	return eptp12_ok(cap(caps, MSR_IA32_VMX_EPT_VPID_CAP), caps->maxphyaddr, eptp);
}

static int fail(const char **why, const char *what)
{
	if (why)
		*why = what;
	return VMXERR_ENTRY_INVALID_CONTROL;
}

int controls12_check(const struct vmx_msrs *caps, const struct vmx_controls *c,
		     const char **why)
{
	/* 24.6.2: with "activate secondary controls" clear, the processor acts as if
	 * every secondary control were 0; 0 always fits IA32_VMX_PROCBASED_CTLS2,
	 * whose allowed-0 settings are all 0 (A.3.3). */
	uint32_t proc2 = (c->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ? c->proc2 : 0;

	/* 26.2.1.1: VM-execution control fields */
	if (!settings_ok(governing(caps, MSR_IA32_VMX_PINBASED_CTLS,
				   MSR_IA32_VMX_TRUE_PINBASED_CTLS), c->pin))
		return fail(why, "pin-based controls");
	if (!settings_ok(governing(caps, MSR_IA32_VMX_PROCBASED_CTLS,
				   MSR_IA32_VMX_TRUE_PROCBASED_CTLS), c->proc))
		return fail(why, "primary processor-based controls");
	if (!settings_ok(cap(caps, MSR_IA32_VMX_PROCBASED_CTLS2), proc2))
		return fail(why, "secondary processor-based controls");
	if (c->cr3_target_count > VMX_MISC_CR3_TARGETS(cap(caps, MSR_IA32_VMX_MISC)))
		return fail(why, "CR3-target count");
	if ((c->proc & CPU_BASED_USE_IO_BITMAPS) &&
	    !(paddr_ok(caps, c->io_bitmap_a, 4096) && paddr_ok(caps, c->io_bitmap_b, 4096)))
		return fail(why, "I/O-bitmap addresses");
	if ((c->proc & CPU_BASED_USE_MSR_BITMAPS) && !paddr_ok(caps, c->msr_bitmap, 4096))
		return fail(why, "MSR-bitmap address");
	if (!(c->pin & PIN_BASED_NMI_EXITING) && (c->pin & PIN_BASED_VIRTUAL_NMIS))
		return fail(why, "virtual NMIs without NMI exiting");
	if (!(c->pin & PIN_BASED_VIRTUAL_NMIS) && (c->proc & CPU_BASED_NMI_WINDOW_EXITING))
		return fail(why, "NMI-window exiting without virtual NMIs");
	if ((proc2 & SECONDARY_EXEC_ENABLE_VPID) && !c->vpid)
		return fail(why, "VPID 0");
	if ((proc2 & SECONDARY_EXEC_ENABLE_EPT) && !eptp_ok(caps, c->eptp))
		return fail(why, "EPTP");
	if ((proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST) && !(proc2 & SECONDARY_EXEC_ENABLE_EPT))
		return fail(why, "unrestricted guest without EPT");
	/* 26.2.1.2: VM-exit control fields */
	if (!settings_ok(governing(caps, MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS),
			 c->exit))
		return fail(why, "VM-exit controls");
	if ((c->exit & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER) &&
	    !(c->pin & PIN_BASED_VMX_PREEMPTION_TIMER))
		return fail(why, "save preemption timer without the timer");
	if (!msr_list_ok(caps, c->exit_msr_store_addr, c->exit_msr_store_count) ||
	    !msr_list_ok(caps, c->exit_msr_load_addr, c->exit_msr_load_count))
		return fail(why, "VM-exit MSR-store/load address");
	/* 26.2.1.3: VM-entry control fields */
	if (!settings_ok(governing(caps, MSR_IA32_VMX_ENTRY_CTLS,
				   MSR_IA32_VMX_TRUE_ENTRY_CTLS), c->entry))
		return fail(why, "VM-entry controls");
	if (c->entry & (VM_ENTRY_SMM | VM_ENTRY_DEACT_DUAL_MONITOR))
		return fail(why, "entry to SMM or dual-monitor deactivation outside SMM");
	if (!msr_list_ok(caps, c->entry_msr_load_addr, c->entry_msr_load_count))
		return fail(why, "VM-entry MSR-load address");
	return 0;
}

void controls02_merge(const struct vmx_controls *l0, const struct vmx_controls *l12,
		      struct vmx_controls *out)
{
	uint32_t proc2 = (l12->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ? l12->proc2 : 0;

	*out = (struct vmx_controls){
		.pin = l0->pin | l12->pin,
		.proc = ((l0->proc | l12->proc) & ~(CPU_BASED_USE_IO_BITMAPS |
						     CPU_BASED_USE_MSR_BITMAPS)) |
			CPU_BASED_UNCOND_IO_EXITING | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS |
			(l0->proc & l12->proc & CPU_BASED_USE_MSR_BITMAPS),
		.proc2 = (proc2 & ~PROC2_L0_OWNS) | (l0->proc2 & PROC2_L0_OWNS),
		.exit = l0->exit,
		.entry = l12->entry | (l0->entry & ENTRY_L0_LOADS),
		.exception_bitmap = l0->exception_bitmap | l12->exception_bitmap,
		.cr3_target_count = l12->cr3_target_count,
		.msr_bitmap = l0->msr_bitmap,
		.cr0_mask = l0->cr0_mask | l12->cr0_mask,
		.cr4_mask = l0->cr4_mask | l12->cr4_mask,
		.eptp = l0->eptp,
		.vpid = l0->vpid,
	};
}
