/* vmentry12.c - a guest hypervisor's VMLAUNCH and VMRESUME (SDM 30.3): the checks
 * the instructions make before VM entry, in the SDM's order, and the checks of the
 * VM-execution, VM-exit and VM-entry control fields (26.2.1, merge.c), made again
 * only when L1's VMCS is dirty (vmcs02.c). What passes them enters L2 (vmcs02.c);
 * the checks of L2's guest state (26.3) are the processor's, on vmcs02. */
#include <stddef.h>
#include "nested.h"
#include "nested/merge.h"
#include "nested/vmcs12.h"

#define GUEST_INTR_STATE_MOV_SS (1u << 1)  /* blocking by MOV SS (24.4.2) */

/* L1's capability MSRs, as its RDMSR reads them, and its physical-address width. */
static void caps_of_l1(struct vmx_msrs *m)
{
	for (uint32_t i = 0; i < VMX_CAP_MSRS; i++)
		if (!nested_rdmsr(MSR_IA32_VMX_FIRST + i, &m->msr[i]))
			m->msr[i] = 0;
	m->maxphyaddr = vmx12_phys_width();
}

static void controls_of(const struct vmcs12 *r, struct vmx_controls *c)
{
#define F(name) F12(r, name)
	*c = (struct vmx_controls){
		.pin = F(PIN_BASED_VM_EXEC_CONTROL),
		.proc = F(CPU_BASED_VM_EXEC_CONTROL),
		.proc2 = F(SECONDARY_VM_EXEC_CONTROL),
		.exit = F(VM_EXIT_CONTROLS),
		.entry = F(VM_ENTRY_CONTROLS),
		.exception_bitmap = F(EXCEPTION_BITMAP),
		.cr3_target_count = F(CR3_TARGET_COUNT),
		.exit_msr_store_count = F(VM_EXIT_MSR_STORE_COUNT),
		.exit_msr_load_count = F(VM_EXIT_MSR_LOAD_COUNT),
		.entry_msr_load_count = F(VM_ENTRY_MSR_LOAD_COUNT),
		.exit_msr_store_addr = F(VM_EXIT_MSR_STORE_ADDR),
		.exit_msr_load_addr = F(VM_EXIT_MSR_LOAD_ADDR),
		.entry_msr_load_addr = F(VM_ENTRY_MSR_LOAD_ADDR),
		.io_bitmap_a = F(IO_BITMAP_A),
		.io_bitmap_b = F(IO_BITMAP_B),
		.msr_bitmap = F(MSR_BITMAP),
		.cr0_mask = F(CR0_GUEST_HOST_MASK),
		.cr4_mask = F(CR4_GUEST_HOST_MASK),
		.eptp = F(EPT_POINTER),
		.vpid = F(VIRTUAL_PROCESSOR_ID),
	};
#undef F
}

enum exit_action vmx12_vmentry(struct vmx12_insn *in, bool launch)
{
	struct vcpu *v = in->v;
	struct vmcs12 *cur = vmcs12_at(v, v->vmx12.current);
	struct vmx_controls c;
	struct vmx_msrs caps12;

	if (v->vmx12.current == VMCS12_NONE || !cur)
		return vmx12_fail_invalid(in);
	if (vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_MOV_SS)
		return vmx12_fail(in, VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS);
	if (launch && cur->launched)
		return vmx12_fail(in, VMXERR_VMLAUNCH_NONCLEAR_VMCS);
	if (!launch && cur->launched != 1)
		return vmx12_fail(in, VMXERR_VMRESUME_NONLAUNCHED_VMCS);
	/* Controls change only through VMWRITEs that exit (never shadowed): unless
	 * one of those (or a VMPTRLD, VMCLEAR, INVEPT) came since the last entry,
	 * they passed these checks then and are merged into vmcs02 already. */
	if (!v->vmx12.dirty)
		return vmcs02_enter(v, cur, NULL, launch);
	caps_of_l1(&caps12);
	controls_of(cur, &c);
	if (controls12_check(&caps12, &c, NULL))
		return vmx12_fail(in, VMXERR_ENTRY_INVALID_CONTROL);
	return vmcs02_enter(v, cur, &c, launch);
}
