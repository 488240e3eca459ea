/* vmx_setup.h - entering VMX operation (vmx.c) and building the guest's VMCS (vmcs_init.c). */
#ifndef NB_VMX_SETUP_H
#define NB_VMX_SETUP_H

#include <stddef.h>
#include <stdint.h>
#include "hv.h"
#include "loader.h"

/* Checks CPUID and IA32_FEATURE_CONTROL and reads the capability MSRs into caps.
 * Returns 0, or -1 with the reason VT-x is unusable in why. */
int vmx_detect(char *why, size_t n);
/* Applies the CR0/CR4 fixed bits and executes VMXON; panics on failure. */
void vmx_enable(void);
/* A zeroed 4 KiB region that starts with the VMCS revision identifier, as VMXON
 * and VMPTRLD want it (24.2, 24.11.5). Returns its physical address. */
uint64_t vmx_alloc_region(void);
const char *vmx_insn_error_str(uint32_t e);

/* Writes every control, host-state and guest-state field for a guest that starts
 * as a multiboot kernel, as the loader left it (lr): 32-bit protected mode, paging
 * off, flat segments from the loader's GDT, EIP = entry, EAX = 0x2BADB002,
 * EBX = mbi. Returns 0, or -1 after printing what is missing. */
int vmcs_setup(struct vcpu *v, const struct loader_result *lr);
/* Writes this hypervisor's host state into the current VMCS: every VMCS it enters
 * (vmcs01, and vmcs02 for an L2: vmm/nested/vmcs02.c) exits to the same place. */
void vmcs_write_host_state(void);

/* The trampoline (entry.S): enters the current VMCS (v->vmcs) and handles every
 * exit through vcpu_exit() (run.c) until that asks to stop; returns 0 then. 1 or 2
 * when VMLAUNCH/VMRESUME itself failed (VMfailInvalid / VMfailValid). */
int vmx_run(struct vcpu *v);

#endif
