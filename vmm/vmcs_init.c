/* vmcs_init.c - the guest's initial VMCS: controls computed from the capability
 * MSRs, the host state of this hypervisor, and a guest state that is exactly what a
 * multiboot loader hands over (Multiboot spec 3.2; SDM 24.4, 26.3.1). */
#include "caps.h"
#include "cpu.h"
#include "cr.h"
#include "desc.h"
#include "exception.h"
#include "loader.h"
#include "msr.h"
#include "msr_bitmap.h"
#include "multiboot.h"
#include "printf.h"
#include "shadow/shadow.h"
#include "vmcs.h"
#include "vmx_setup.h"

#define PAT_POWER_ON 0x0007040600070406ULL
#define DR7_INIT 0x400ULL
#define AR_TSS32_BUSY 0x8b

extern char vmx_exit[];

/* The CR0/CR4 bits the guest may not own: those VMX forces either way. Unrestricted
 * guest frees CR0.PE and CR0.PG (26.3.1.1). A guest write that changes one of them
 * exits, and cr.c answers it as bare hardware would. CR0.CD and CR0.NW too: VM entry
 * and VM exit never load them (26.3.2.1, 27.5.1), so the physical bits are the
 * hypervisor's, and a guest that owned them would read back what the host last left
 * there, not what it wrote after an exiting write. The read shadow keeps the guest's
 * values; caching stays as the hypervisor has it. */
uint64_t cr0_host_owned(void)
{
	/* In its own VMX operation the guest may not clear PE or PG either (23.8): then
	 * those writes must exit too (vmm/nested/vmxon.c switches the mask). */
	uint64_t vmx = vcpu.vmx12.on ? CR0_PE | CR0_PG : 0;

	/* paging=shadow: no unrestricted guest, and the bits that shape the shadow. */
	uint64_t sh = cfg.shadow_paging ? SHADOW_CR0_OWNED : 0;

	return (caps.cr0_fixed0 & ~(CR0_PE | CR0_PG)) | ~caps.cr0_fixed1 | CR0_CD | CR0_NW | vmx | sh;
}
uint64_t cr4_host_owned(void)
{
	return caps.cr4_fixed0 | ~caps.cr4_fixed1 | (cfg.shadow_paging ? SHADOW_CR4_OWNED : 0);
}

uint64_t cr0_real(uint64_t guest)
{
	return cfg.shadow_paging ? shadow_real_cr0(guest)
			  : vmx_fixed_cr(guest, caps.cr0_fixed0 & ~(CR0_PE | CR0_PG), caps.cr0_fixed1);
}

uint64_t cr4_real(uint64_t guest)
{
	return cfg.shadow_paging ? shadow_real_cr4(guest, guest_cr0())
			  : vmx_fixed_cr(guest, caps.cr4_fixed0, caps.cr4_fixed1);
}

/* Adjusts want to the CPU; a required control the CPU lacks is an error. */
static int controls(const char *what, uint64_t cap, uint32_t required, uint32_t optional,
		    uint32_t *out)
{
	uint32_t missing;

	*out = vmx_adjust_controls(cap, required | optional, &missing);
	if (missing & required) {
		printf("hv: this CPU's %s controls lack required bits %#x (capability %#lx)\n",
		       what, missing & required, cap);
		return -1;
	}
	return 0;
}

static int write_controls(struct vcpu *v)
{
	uint32_t pin, proc, proc2, exit, entry;
	uint32_t pmu_exit = cfg.pmu ? VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL : 0;
	uint32_t pmu_entry = cfg.pmu ? VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL : 0;
	/* EPT with unrestricted guest, or shadow paging: the guest's CR3 loads and
	 * reads, INVLPG and page faults are then the hypervisor's (shadow/). */
	uint32_t paging = cfg.shadow_paging ? 0 : SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST;
	uint32_t shadow_exits = cfg.shadow_paging ? CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING |
						     CPU_BASED_INVLPG_EXITING : 0;

	if (controls("pin-based", caps.pin,
		     PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING |
			     (cfg.timeout ? PIN_BASED_VMX_PREEMPTION_TIMER : 0),
		     0, &pin) ||
	    controls("processor-based", caps.proc,
		     CPU_BASED_HLT_EXITING | CPU_BASED_CR8_LOAD_EXITING |
			     CPU_BASED_CR8_STORE_EXITING | CPU_BASED_UNCOND_IO_EXITING |
			     CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_MWAIT_EXITING |
			     CPU_BASED_MONITOR_EXITING |
			     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | shadow_exits |
			     (cfg.pmu ? 0 : CPU_BASED_RDPMC_EXITING),
		     0, &proc) ||
	    controls("secondary", caps.proc2,
		     paging | (cfg.vpid ? SECONDARY_EXEC_ENABLE_VPID : 0),
		     /* Without these the guest gets #UD for instructions CPUID offers it. */
		     SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_ENABLE_INVPCID |
			     SECONDARY_EXEC_XSAVES,
		     &proc2) ||
	    controls("VM-exit", caps.exit,
		     VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
			     VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
			     VM_EXIT_LOAD_IA32_PAT |
			     (cfg.timeout ? VM_EXIT_SAVE_VMX_PREEMPTION_TIMER : 0),
		     VM_EXIT_SAVE_DEBUG_CONTROLS | pmu_exit, &exit) ||
	    controls("VM-entry", caps.entry,
		     VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT,
		     VM_ENTRY_LOAD_DEBUG_CONTROLS | pmu_entry, &entry))
		return -1;
	/* RDPMC stays unhindered when pmu=on: the counters are the guest's. But the
	 * guest-only counting needs the PERF_GLOBAL_CTRL switch on both edges. */
	if (cfg.pmu && (!(exit & pmu_exit) || !(entry & pmu_entry)))
		printf("hv: pmu=on: this CPU cannot switch IA32_PERF_GLOBAL_CTRL on VM entry/exit; "
		       "counters will also count hypervisor time\n");
	entry &= ~VM_ENTRY_IA32E_MODE; /* the guest starts in 32-bit protected mode */

	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmcs_write32(VM_EXIT_CONTROLS, exit);
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
	/* The guest handles its own exceptions; trap_ud=on intercepts #UD, to measure an
	 * exception exit (misc.c reflects it back). */
	vmcs_write32(EXCEPTION_BITMAP, (cfg.trap_ud ? 1u << EXC_UD : 0) |
					       (cfg.shadow_paging ? 1u << EXC_PF : 0));
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write64(MSR_BITMAP, msr_bitmap_build());
	if (!cfg.shadow_paging)
		vmcs_write64(EPT_POINTER, v->eptp);
	if (cfg.vpid)
		vmcs_write16(VIRTUAL_PROCESSOR_ID, v->vpid);
	vmcs_writenat(CR0_GUEST_HOST_MASK, cr0_host_owned());
	vmcs_writenat(CR4_GUEST_HOST_MASK, cr4_host_owned());
	if (cfg.pmu) {
		vmcs_write64(GUEST_IA32_PERF_GLOBAL_CTRL, 0);
		vmcs_write64(HOST_IA32_PERF_GLOBAL_CTRL, 0);
	}
	return 0;
}

void vmcs_write_host_state(void)
{
	vmcs_writenat(HOST_CR0, read_cr0());
	vmcs_writenat(HOST_CR3, read_cr3());
	vmcs_writenat(HOST_CR4, read_cr4());
	vmcs_write16(HOST_CS_SELECTOR, SEL_CODE64);
	vmcs_write16(HOST_SS_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_DS_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_ES_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, SEL_TSS);
	vmcs_writenat(HOST_FS_BASE, 0);
	vmcs_writenat(HOST_GS_BASE, 0);
	vmcs_writenat(HOST_TR_BASE, desc_tss_base());
	vmcs_writenat(HOST_GDTR_BASE, desc_gdt_base());
	vmcs_writenat(HOST_IDTR_BASE, desc_idt_base());
	vmcs_write32(HOST_IA32_SYSENTER_CS, 0);
	vmcs_writenat(HOST_IA32_SYSENTER_ESP, 0);
	vmcs_writenat(HOST_IA32_SYSENTER_EIP, 0);
	vmcs_write64(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmcs_write64(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmcs_writenat(HOST_RIP, (uint64_t)vmx_exit);
	/* HOST_RSP is written by the trampoline, which knows its own stack depth. */
}

#define GUEST_SEG(seg, sel, ar, limit)                       \
	do {                                                 \
		vmcs_write16(GUEST_##seg##_SELECTOR, sel);   \
		vmcs_writenat(GUEST_##seg##_BASE, 0);        \
		vmcs_write32(GUEST_##seg##_LIMIT, limit);    \
		vmcs_write32(GUEST_##seg##_AR_BYTES, ar);    \
	} while (0)

/* The segment registers hold the loader's flat descriptors (loader.h), their cached
 * attributes exactly the descriptors' in guest memory, as if the loader had loaded
 * them from that GDT. */
static void write_guest_state(struct vcpu *v, const struct loader_result *lr)
{
	uint64_t cr0 = CR0_PE | CR0_ET;

	GUEST_SEG(CS, LOADER_SEL_CODE, LOADER_AR_CODE, 0xffffffff);
	GUEST_SEG(DS, LOADER_SEL_DATA, LOADER_AR_DATA, 0xffffffff);
	GUEST_SEG(ES, LOADER_SEL_DATA, LOADER_AR_DATA, 0xffffffff);
	GUEST_SEG(SS, LOADER_SEL_DATA, LOADER_AR_DATA, 0xffffffff);
	GUEST_SEG(FS, LOADER_SEL_DATA, LOADER_AR_DATA, 0xffffffff);
	GUEST_SEG(GS, LOADER_SEL_DATA, LOADER_AR_DATA, 0xffffffff);
	GUEST_SEG(LDTR, 0, VMX_AR_UNUSABLE, 0);
	GUEST_SEG(TR, 0, AR_TSS32_BUSY, 0x67);
	vmcs_writenat(GUEST_GDTR_BASE, lr->gdt_base);
	vmcs_write32(GUEST_GDTR_LIMIT, lr->gdt_limit);
	vmcs_writenat(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0);

	/* The guest sees CR0 = PE|ET and CR4 = 0; the CPU runs it with the VMX fixed bits. */
	vmcs_writenat(CR0_READ_SHADOW, cr0);
	vmcs_writenat(GUEST_CR0, cr0_real(cr0));
	vmcs_writenat(CR4_READ_SHADOW, 0);
	vmcs_writenat(GUEST_CR4, cr4_real(0));
	/* paging=shadow: paging off, on the identity shadow (shadow/spt.c). */
	vmcs_writenat(GUEST_CR3, cfg.shadow_paging ? shadow.identity : 0);
	vmcs_writenat(GUEST_DR7, DR7_INIT);
	vmcs_writenat(GUEST_RSP, 0);
	vmcs_writenat(GUEST_RIP, lr->entry);
	vmcs_writenat(GUEST_RFLAGS, RFLAGS_FIXED);
	vmcs_writenat(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_writenat(GUEST_SYSENTER_ESP, 0);
	vmcs_writenat(GUEST_SYSENTER_EIP, 0);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, 0);
	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write64(GUEST_IA32_EFER, 0);
	vmcs_write64(GUEST_IA32_PAT, PAT_POWER_ON);

	v->regs.gpr[GPR_RAX] = MULTIBOOT_BOOTLOADER_MAGIC;
	v->regs.gpr[GPR_RBX] = lr->mbi;
}

/* Test-only: a VMCS that must fail VM entry, to show the failure is decoded. */
static void break_vmcs(void)
{
	if (cfg.fail_entry == 1) /* guest: RFLAGS bit 1 is reserved as 1 (26.3.1.4) */
		vmcs_writenat(GUEST_RFLAGS, 0);
	else if (cfg.fail_entry == 2) /* control: more CR3 targets than IA32_VMX_MISC allows */
		vmcs_write32(CR3_TARGET_COUNT, 1 + ((caps.misc >> 16) & 0x1ff));
}

int vmcs_setup(struct vcpu *v, const struct loader_result *lr)
{
	if (write_controls(v))
		return -1;
	vmcs_write_host_state();
	write_guest_state(v, lr);
	if (cfg.fail_entry)
		break_vmcs();
	return 0;
}
