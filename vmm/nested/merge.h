/* merge.h - a nested VM entry's controls: L1's (vmcs12's) checked as VM entry
 * checks them (SDM 26.2.1) against the capability MSRs L1 was shown, then merged
 * with what L0 needs into the controls L2 really runs with (vmcs02's).
 * Pure: host-tested (tests/unit/test_merge.c). */
#ifndef NB_MERGE_H
#define NB_MERGE_H

#include <stdbool.h>
#include <stdint.h>
#include "msr.h"
#include "nested/vmcs12.h"

/* The VM-execution, VM-exit and VM-entry control fields (24.6-24.8) that the
 * checks read or the merge writes. */
struct vmx_controls {
	uint32_t pin, proc, proc2, exit, entry;
	uint32_t exception_bitmap;
	uint32_t cr3_target_count;
	uint32_t exit_msr_store_count, exit_msr_load_count, entry_msr_load_count;
	uint64_t exit_msr_store_addr, exit_msr_load_addr, entry_msr_load_addr;
	uint64_t io_bitmap_a, io_bitmap_b, msr_bitmap;
	uint64_t cr0_mask, cr4_mask;  /* CR0/CR4 guest/host masks */
	uint64_t eptp;
	uint16_t vpid;
};

/* A set of VMX capability MSRs (IA32_VMX_BASIC ... IA32_VMX_VMFUNC; those L1
 * reads, from caps12_msr) and the physical-address width that goes with them. */
#define VMX_CAP_MSRS (MSR_IA32_VMX_LAST - MSR_IA32_VMX_FIRST + 1)
struct vmx_msrs {
	uint64_t msr[VMX_CAP_MSRS];
	unsigned maxphyaddr;  /* CPUID.80000008H:EAX[7:0] */
};

/* Whether VM entry with "enable EPT" takes eptp (26.2.1.1) on a processor whose
 * IA32_VMX_EPT_VPID_CAP is ept and physical-address width maxphyaddr. INVEPT's
 * single-context type checks its EPTP so too (30.3). */
bool eptp12_ok(uint64_t ept, unsigned maxphyaddr, uint64_t eptp);

/* Checks c as VM entry checks the VM-execution, VM-exit and VM-entry control
 * fields (26.2.1.1-26.2.1.3) on a processor with the capability MSRs caps.
 * Returns 0, or VMXERR_ENTRY_INVALID_CONTROL with *why (if why is not NULL)
 * naming the failed check. Covered: every control word against its capability MSR
 * (the TRUE_ ones when IA32_VMX_BASIC[55] says they exist; the secondary controls
 * only when "activate secondary controls" is set, else they count as 0); NMI
 * exiting / virtual NMIs / NMI-window exiting; the I/O- and MSR-bitmap addresses;
 * the CR3-target count against IA32_VMX_MISC[24:16]; VPID not 0; unrestricted
 * guest needs EPT; the EPTP (memory type, walk length, A/D, reserved bits); save
 * preemption timer needs the timer; the MSR-store and MSR-load list addresses;
 * entry to SMM and dual-monitor deactivation outside SMM. Not covered: the
 * APIC-virtualization, posted-interrupt, PML, VM-function, VMCS-shadowing, #VE
 * and event-injection checks (those features are not offered to L1, so the
 * capability check already refuses their controls; event injection is not). */
int controls12_check(const struct vmx_msrs *caps, const struct vmx_controls *c,
		     const char **why);

/* The controls L2 runs with, from L1's (checked) wishes l12 and l0, what L0 runs
 * L1 with (vmcs01's controls) carrying the EPTP of EPT02 and the VPID L0 gives
 * L2. Pin-based and primary controls: the union (an event either level wants
 * becomes an exit to L0, which reflects what L1 asked for); I/O always exits
 * unconditionally (the bitmaps are L1's, consulted when reflecting); MSR bitmaps
 * only if both use them, at l0's msr_bitmap (where the caller builds the union);
 * secondary: L1's, with EPT (EPT02) and VPID forced to L0's; exception bitmap and
 * CR masks: the union (L0 intercepts no #PF, so the page-fault error-code mask
 * and match stay L1's); CR3 targets: L1's; exit controls: L0's (every exit comes
 * to L0 first); entry controls: L1's plus L0's EFER, PAT and PERF_GLOBAL_CTRL
 * loading. The MSR lists are emulated by L0 rather than given to the processor:
 * their counts are 0. */
void controls02_merge(const struct vmx_controls *l0, const struct vmx_controls *l12,
		      struct vmx_controls *out);

#endif
