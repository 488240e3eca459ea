/* nested.h - the hypervisor running a guest hypervisor (L1) and its guest (L2). */
#ifndef NB_NESTED_H
#define NB_NESTED_H

#include "hv.h"

/* The decision point for an exit while L2 runs, taken before the exit table
 * (run.c, reflect.c): returns the handler that reflects the exit to L1 (a VM exit
 * from L2 to L1, emulated), the one that settles an EPT violation (EPT02 filled,
 * or L1's EPT violation), one that stops the guest for what is not emulated, or
 * NULL when L0 handles it itself through the exit table, as for an exit of L1.
 * reason is the basic exit reason. It must not touch the VMCS before deciding
 * more than it has to: it runs on the path of every L2 exit. */
exit_handler_fn nested_reflect_handler(struct vcpu *v, unsigned reason);

/* The entry to L2 failed while loading its guest state (or MSRs): reason is the
 * exit reason, bit 31 set. L1 gets it as its VM entry's failure (SDM 26.8) and runs
 * again at its HOST_RIP (exit12.c). */
enum exit_action nested_entry_failed(struct vcpu *v, uint32_t reason);

/* RDMSR of IA32_FEATURE_CONTROL or a VMX capability MSR by a guest offered VMX
 * (vmx_regs.c): true with L1's value in *val, false when the MSR is not one of
 * them or L1 has no such MSR (#GP). */
bool nested_rdmsr(uint32_t msr, uint64_t *val);

/* Whether a MOV to CR0 / CR4 of val keeps the fixed bits of VMX operation, when the
 * guest is in VMX operation (23.8); always true outside it (vmx_regs.c). */
bool nested_cr0_ok(const struct vcpu *v, uint64_t val);
bool nested_cr4_ok(const struct vcpu *v, uint64_t val);

/* The exit of a VMX instruction (VMXON ... INVVPID) executed by a guest offered VMX
 * (vmx_insn.c); reason is the basic exit reason. */
enum exit_action nested_vmx_insn(struct vcpu *v, unsigned reason);

#endif
