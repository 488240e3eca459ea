/* vmcs_self.c - a VMCS whose guest is this kernel itself, for case vmx's one real
 * VM entry: the guest state is the current state (SDM 26.3's checks pass for the
 * state this kernel runs in), but for RIP, at a CPUID that exits at once (CPUID
 * exits unconditionally, 25.1.2), and RFLAGS; the host state is the current state
 * too, so the VM exit comes back to the code that entered, as a function call
 * would. Guest-physical memory is the start of RAM through EPT, identity-mapped
 * with 2 MiB pages; EPT because a hypervisor that offers VMX may require it of its
 * guest hypervisor (ours does), and within RAM because it may refuse EPT that maps
 * anything else. */
#include "chaos.h"
#include "cpu.h"
#include "cr.h"
#include "desc.h"
#include "msr.h"
#include "pt.h"
#include "vmx.h"

#define DR7_INIT     0x400ULL
#define EPT_MAX_2M   512     /* one page directory: the first GiB at most */
#define MIB_2        (2ULL << 20)

static uint64_t ept_pml4[512] __attribute__((aligned(4096)));
static uint64_t ept_pdpt[512] __attribute__((aligned(4096)));
static uint64_t ept_pd[512] __attribute__((aligned(4096)));

/* The guest's code: CPUID, which exits; it never runs past it. */
extern const char chaos_self_guest[];
asm(".pushsection .text\n"
    "chaos_self_guest: cpuid\n"
    "1: jmp 1b\n"
    ".popsection");
static uint64_t guest_stack[64] __attribute__((aligned(16)));

static void vmw(uint64_t enc, uint64_t val)
{
	asm volatile("vmwrite %1, %0" : : "r"(enc), "r"(val) : "cc", "memory");
}

/* A control as the capability MSR allows it (Appendix A.3-A.5): the default-1
 * bits (low half) set, what is not allowed-1 (high half) cleared. */
static uint32_t control(uint32_t msr, uint32_t want)
{
	uint64_t cap = rdmsr(msr);

	return (want | (uint32_t)cap) & (uint32_t)(cap >> 32);
}

/* The capability MSR that governs a control: its TRUE_ one where IA32_VMX_BASIC[55]
 * says there are TRUE_ MSRs (A.3.1). */
#define GOVERNING(CTLS) ((rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS) ? \
			 MSR_IA32_VMX_TRUE_##CTLS : MSR_IA32_VMX_##CTLS)

static bool allowed(uint32_t msr, uint32_t bit)
{
	return (rdmsr(msr) >> 32) & bit;
}

/* A segment register as the processor caches it: LAR's access rights (bits 23:8
 * of the descriptor's second dword, 19:16 undefined) in the VMCS layout, LSL's
 * limit; a null selector is unusable (24.4.1). */
static uint32_t seg_ar(uint16_t sel)
{
	uint64_t ar = 0;
	uint8_t ok = 0;

	if (!sel)
		return VMX_AR_UNUSABLE;
	asm("lar %2, %0\n\tsetz %1" : "=r"(ar), "=q"(ok) : "r"((uint64_t)sel) : "cc");
	return ok ? (ar >> 8) & 0xf0ff : VMX_AR_UNUSABLE;
}

static uint32_t seg_limit(uint16_t sel)
{
	uint64_t limit = 0;

	if (sel)
		asm("lsl %1, %0" : "=r"(limit) : "r"((uint64_t)sel) : "cc");
	return (uint32_t)limit;
}

#define SELECTOR(seg) ({ uint16_t s_; asm("mov %%" #seg ", %0" : "=r"(s_)); s_; })

/* One segment register into the guest- and host-state areas; base is what the
 * register's base is (FS, GS and TR have their own, the rest are 0 in 64-bit mode). */
#define SEGMENT(SEG, sel, base)                                             \
	do {                                                                \
		vmw(GUEST_##SEG##_SELECTOR, sel);                           \
		vmw(GUEST_##SEG##_BASE, base);                              \
		vmw(GUEST_##SEG##_LIMIT, seg_limit(sel));                   \
		vmw(GUEST_##SEG##_AR_BYTES, seg_ar(sel));                   \
		vmw(HOST_##SEG##_SELECTOR, sel);                            \
	} while (0)

/* The descriptor tables as they were when the VMCS was filled. */
static struct dtr gdt, idt;

void vmcs_self_tables(void)
{
	asm volatile("lgdt %0\n\tlidt %1" : : "m"(gdt), "m"(idt) : "memory");
}

static void state(void)
{
	uint16_t tr;
	uint64_t fs = rdmsr(MSR_FS_BASE), gs = rdmsr(MSR_GS_BASE);

	asm("str %0" : "=r"(tr));
	asm("sgdt %0" : "=m"(gdt));
	asm("sidt %0" : "=m"(idt));
	SEGMENT(ES, SELECTOR(es), 0);
	SEGMENT(CS, SELECTOR(cs), 0);
	SEGMENT(SS, SELECTOR(ss), 0);
	SEGMENT(DS, SELECTOR(ds), 0);
	SEGMENT(FS, SELECTOR(fs), fs);
	SEGMENT(GS, SELECTOR(gs), gs);
	SEGMENT(TR, tr, desc_tss_base());
	vmw(GUEST_LDTR_SELECTOR, 0);
	vmw(GUEST_LDTR_AR_BYTES, VMX_AR_UNUSABLE);
	vmw(HOST_FS_BASE, fs);
	vmw(HOST_GS_BASE, gs);
	vmw(HOST_TR_BASE, desc_tss_base());
	vmw(GUEST_GDTR_BASE, gdt.base);
	vmw(GUEST_GDTR_LIMIT, gdt.limit);
	vmw(GUEST_IDTR_BASE, idt.base);
	vmw(GUEST_IDTR_LIMIT, idt.limit);
	vmw(HOST_GDTR_BASE, gdt.base);
	vmw(HOST_IDTR_BASE, idt.base);

	vmw(GUEST_CR0, read_cr0());
	vmw(GUEST_CR3, read_cr3());
	vmw(GUEST_CR4, read_cr4());
	vmw(HOST_CR0, read_cr0());
	vmw(HOST_CR3, read_cr3());
	vmw(HOST_CR4, read_cr4());
	vmw(CR0_READ_SHADOW, read_cr0());
	vmw(CR4_READ_SHADOW, read_cr4());
	vmw(GUEST_IA32_EFER, rdmsr(MSR_EFER));
	vmw(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmw(GUEST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmw(GUEST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmw(GUEST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmw(HOST_IA32_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmw(HOST_IA32_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmw(HOST_IA32_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmw(GUEST_DR7, DR7_INIT);
	vmw(GUEST_IA32_DEBUGCTL, 0);
	vmw(GUEST_RIP, (uintptr_t)chaos_self_guest);
	vmw(GUEST_RSP, (uintptr_t)&guest_stack[64]);
	vmw(GUEST_RFLAGS, RFLAGS_FIXED);
	vmw(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmw(GUEST_ACTIVITY_STATE, 0);
	vmw(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmw(VMCS_LINK_POINTER, ~0ULL);
}

/* The identity map of the start of RAM, at most a GiB, in 2 MiB pages. */
static uint64_t ept(void)
{
	uint64_t n = ram_end() / MIB_2;

	n = n > EPT_MAX_2M ? EPT_MAX_2M : n;
	for (uint64_t i = 0; i < n; i++)
		ept_pd[i] = i * MIB_2 | VMX_EPT_RWX | MEMTYPE_WB << VMX_EPT_MT_SHIFT | PT_PS; /* bit 7: a leaf, in EPT too */
	ept_pdpt[0] = (uintptr_t)ept_pd | VMX_EPT_RWX;
	ept_pml4[0] = (uintptr_t)ept_pdpt | VMX_EPT_RWX;
	return (uintptr_t)ept_pml4 | VMX_EPTP_MT_WB | 3ULL << VMX_EPTP_PWL_SHIFT;
}

int vmcs_self_fill(uint64_t *eptp)
{
	uint64_t cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	uint32_t need = VMX_EPT_PAGE_WALK_4_BIT | VMX_EPTP_WB_BIT | VMX_EPT_2MB_PAGE_BIT;

	if ((cap & need) != need ||
	    !allowed(GOVERNING(PROCBASED_CTLS), CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !allowed(MSR_IA32_VMX_PROCBASED_CTLS2, SECONDARY_EXEC_ENABLE_EPT) ||
	    !allowed(GOVERNING(EXIT_CTLS), VM_EXIT_LOAD_IA32_EFER) ||
	    !allowed(GOVERNING(ENTRY_CTLS), VM_ENTRY_LOAD_IA32_EFER))
		return -1;
	*eptp = ept();
	vmw(PIN_BASED_VM_EXEC_CONTROL, control(GOVERNING(PINBASED_CTLS), 0));
	vmw(CPU_BASED_VM_EXEC_CONTROL, control(GOVERNING(PROCBASED_CTLS),
					       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS));
	vmw(SECONDARY_VM_EXEC_CONTROL, control(MSR_IA32_VMX_PROCBASED_CTLS2,
					       SECONDARY_EXEC_ENABLE_EPT));
	/* EFER is loaded both ways, so that no part of it is left to the processor
	 * (or to a hypervisor's idea of what the processor would leave). */
	vmw(VM_EXIT_CONTROLS, control(GOVERNING(EXIT_CTLS),
				      VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_LOAD_IA32_EFER));
	vmw(VM_ENTRY_CONTROLS, control(GOVERNING(ENTRY_CTLS),
				       VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_EFER));
	vmw(EPT_POINTER, *eptp);
	vmw(EXCEPTION_BITMAP, 0);
	vmw(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmw(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmw(CR3_TARGET_COUNT, 0);
	vmw(VM_EXIT_MSR_STORE_COUNT, 0);
	vmw(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmw(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmw(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmw(CR0_GUEST_HOST_MASK, 0);
	vmw(CR4_GUEST_HOST_MASK, 0);
	vmw(TSC_OFFSET, 0);
	state();
	return 0;
}
