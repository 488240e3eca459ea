/* kvm_cpu.c - the vCPU's CPUID table and boot registers; see kvm_cpu.h. */
#include <stdio.h>
#include <string.h>

#include "cr.h"
#include "kvm_cpu.h"
#include "multiboot.h"

/* System descriptor types (SDM Vol. 3A, 3.5). */
#define SEG_TYPE_LDT       0x2
#define SEG_TYPE_TSS32_BUSY 0xb

struct kvm_cpuid_entry2 *kvm_cpuid_find(struct kvm_cpuid_entry2 *e, unsigned n,
					uint32_t function, uint32_t index)
{
	for (unsigned i = 0; i < n; i++) {
		bool indexed = e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX;

		if (e[i].function == function && (!indexed || e[i].index == index))
			return &e[i];
	}
	return NULL;
}

void kvm_cpuid_filter(struct kvm_cpuid_entry2 *e, unsigned n, bool nested)
{
	for (unsigned i = 0; i < n; i++) {
		if (e[i].function == 1) {
			e[i].ecx |= CPUID_1_ECX_HYPERVISOR;
			e[i].ecx &= ~(CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE);
			e[i].edx &= ~CPUID_1_EDX_APIC;
			if (!nested)
				e[i].ecx &= ~CPUID_1_ECX_VMX;
		} else if (e[i].function == 0x80000001 && !nested) {
			e[i].ecx &= ~CPUID_80000001_ECX_SVM;
		}
	}
}

/* A segment register as the CPU caches it once it has loaded one of the loader's
 * flat descriptors (attributes ar, see loader.h). KVM takes the unpacked form:
 * byte-granular limit, one field per attribute (Documentation/virt/kvm/api.rst,
 * KVM_GET_SREGS). */
static struct kvm_segment loader_segment(uint16_t selector, uint16_t ar)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = selector,
		.type = ar & 0xf, .s = (ar >> 4) & 1, .dpl = (ar >> 5) & 3,
		.present = (ar >> 7) & 1, .avl = (ar >> 12) & 1, .l = (ar >> 13) & 1,
		.db = (ar >> 14) & 1, .g = (ar >> 15) & 1,
	};
}

void kvm_boot_state(const struct loader_result *lr, struct kvm_regs *regs,
		    struct kvm_sregs *sregs)
{
	memset(regs, 0, sizeof(*regs));
	regs->rax = MULTIBOOT_BOOTLOADER_MAGIC;
	regs->rbx = lr->mbi;
	regs->rip = lr->entry;
	regs->rflags = RFLAGS_FIXED; /* IF = 0, VM = 0 */

	sregs->cs = loader_segment(LOADER_SEL_CODE, LOADER_AR_CODE);
	sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss =
		loader_segment(LOADER_SEL_DATA, LOADER_AR_DATA);
	/* VM entry wants a usable TR of a busy TSS type and an LDTR that is valid or
	 * unusable even when the guest never uses them (SDM Vol. 3C, 27.3.1.2). */
	sregs->tr = (struct kvm_segment){ .limit = 0xffff, .type = SEG_TYPE_TSS32_BUSY,
					  .present = 1 };
	sregs->ldt = (struct kvm_segment){ .limit = 0xffff, .type = SEG_TYPE_LDT,
					   .present = 1 };
	/* The loader's GDT, which the segments above came from. Multiboot leaves IDTR
	 * undefined as well: an empty IDT makes an exception before the kernel loads its
	 * own a loud triple fault rather than a jump through garbage. */
	sregs->gdt = (struct kvm_dtable){ .base = lr->gdt_base, .limit = lr->gdt_limit };
	sregs->idt = (struct kvm_dtable){ .base = 0, .limit = 0 };
	sregs->cr0 = CR0_PE | CR0_ET;
	sregs->cr2 = sregs->cr3 = sregs->cr4 = sregs->cr8 = 0;
	sregs->efer = 0;
}

const char *kvm_exit_name(uint32_t reason, char *buf, unsigned size)
{
	static const char *const names[] = {
#define N(x) [x] = #x
		N(KVM_EXIT_UNKNOWN), N(KVM_EXIT_EXCEPTION), N(KVM_EXIT_IO),
		N(KVM_EXIT_HYPERCALL), N(KVM_EXIT_DEBUG), N(KVM_EXIT_HLT), N(KVM_EXIT_MMIO),
		N(KVM_EXIT_IRQ_WINDOW_OPEN), N(KVM_EXIT_SHUTDOWN), N(KVM_EXIT_FAIL_ENTRY),
		N(KVM_EXIT_INTR), N(KVM_EXIT_SET_TPR), N(KVM_EXIT_TPR_ACCESS),
		N(KVM_EXIT_NMI), N(KVM_EXIT_INTERNAL_ERROR), N(KVM_EXIT_OSI),
		N(KVM_EXIT_PAPR_HCALL), N(KVM_EXIT_WATCHDOG), N(KVM_EXIT_EPR),
		N(KVM_EXIT_SYSTEM_EVENT), N(KVM_EXIT_IOAPIC_EOI), N(KVM_EXIT_HYPERV),
#ifdef KVM_EXIT_X86_RDMSR
		N(KVM_EXIT_X86_RDMSR), N(KVM_EXIT_X86_WRMSR),
#endif
#ifdef KVM_EXIT_DIRTY_RING_FULL
		N(KVM_EXIT_DIRTY_RING_FULL),
#endif
#ifdef KVM_EXIT_NOTIFY
		N(KVM_EXIT_NOTIFY),
#endif
#ifdef KVM_EXIT_MEMORY_FAULT
		N(KVM_EXIT_MEMORY_FAULT),
#endif
#undef N
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	snprintf(buf, size, "KVM_EXIT_%u", reason);
	return buf;
}
