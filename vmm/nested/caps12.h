/* caps12.h - the VMX capability MSRs a guest hypervisor (L1) reads: the platform's,
 * minus what this hypervisor does not emulate for L1, with our own VMCS revision
 * identifier. Pure arithmetic: host-tested (tests/unit/test_caps12.c). */
#ifndef NB_CAPS12_H
#define NB_CAPS12_H

#include <stdbool.h>
#include <stdint.h>

/* The VMCS revision identifier of the VMCS we offer L1 (IA32_VMX_BASIC[30:0]): "nb"
 * in ASCII. It is ours because the layout of L1's VMCS region is ours
 * (vmcs12.h), not the platform's; a VMXON or VMPTRLD region that carries the
 * platform's identifier fails as on a CPU of another revision. Bit 31 is clear. */
#define VMCS12_REVISION 0x6e62u

/* IA32_FEATURE_CONTROL as L1 reads it: locked, VMXON allowed outside SMX. */
#define FEATURE_CONTROL12 0x5u

/* L1's value of the capability MSR msr (0x480-0x491), given the platform's value of
 * the same MSR. Returns false when L1 has no such MSR (RDMSR raises #GP):
 * IA32_VMX_VMFUNC, because VM functions are not offered. */
bool caps12_msr(uint32_t msr, uint64_t platform, uint64_t *l1);

/* CR0/CR4 in VMX operation (SDM 23.8): each bit set in FIXED0 is set in val, each
 * bit clear in FIXED1 is clear. */
static inline bool vmx_cr_fixed_ok(uint64_t val, uint64_t fixed0, uint64_t fixed1)
{
	return (val & fixed0) == fixed0 && !(val & ~fixed1);
}

#endif
