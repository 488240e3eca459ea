/* kvm_cpu.h - what the vCPU of kvmrun looks like at its first instruction: the
 * CPUID table it sees and its registers. Pure functions on the KVM API structs, so
 * they are unit-tested without /dev/kvm. */
#ifndef NB_KVM_CPU_H
#define NB_KVM_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "cpuid.h"   /* the CPUID bits we change */
#include "loader.h"

/* Turns the table KVM_GET_SUPPORTED_CPUID returned into the one the guest sees
 * (KVM_SET_CPUID2), in place:
 *  - CPUID.1:ECX.HYPERVISOR set, as every hypervisor does, so the guest's level
 *    detection reads the signature leaf 0x40000000 that KVM supplies ("KVMKVMKVM");
 *  - VMX (CPUID.1:ECX[5]) and SVM (CPUID.80000001H:ECX[2]) kept only when nested is
 *    true; they are present in the table only when the host KVM offers nesting;
 *  - APIC, x2APIC and TSC-deadline cleared: without KVM_CREATE_IRQCHIP this VM has
 *    no local APIC, and a guest must not go looking for one. */
void kvm_cpuid_filter(struct kvm_cpuid_entry2 *e, unsigned n, bool nested);

/* The entry of function/index in the table, or NULL. */
struct kvm_cpuid_entry2 *kvm_cpuid_find(struct kvm_cpuid_entry2 *e, unsigned n,
					uint32_t function, uint32_t index);

/* The register state a multiboot v1 kernel starts in, as QEMU -kernel starts it
 * (Multiboot 0.6.96, section 3.2): 32-bit protected mode, paging off, the flat 4 GiB
 * code and data segments of the GDT the loader left in guest memory (loader.h), EFLAGS with IF and VM clear, EAX = 0x2BADB002, EBX = the
 * multiboot info, EIP = the entry point. regs is overwritten; in sregs only the
 * segment, descriptor-table, control and EFER fields are, so the caller keeps what
 * KVM_GET_SREGS put in apic_base and interrupt_bitmap. */
void kvm_boot_state(const struct loader_result *lr, struct kvm_regs *regs,
		    struct kvm_sregs *sregs);

/* "KVM_EXIT_SHUTDOWN" for 8; "KVM_EXIT_<n>" (in buf) for a number we do not know. */
const char *kvm_exit_name(uint32_t reason, char *buf, unsigned size);

#endif
