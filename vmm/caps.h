/* caps.h - turning VMX capability MSRs into control values (SDM Appendix A.3-A.5).
 * Pure arithmetic, unit-tested on the host with values read off Bochs models. */
#ifndef NB_CAPS_H
#define NB_CAPS_H

#include <stdint.h>

/* A capability MSR holds allowed-0 settings in bits 31:0 (a 1 there means the control
 * must be 1) and allowed-1 settings in bits 63:32 (a 0 there means it must be 0).
 * Returns want with the must-be-1 bits added and the must-be-0 bits removed; the
 * wanted bits that had to be removed are stored in *missing. */
uint32_t vmx_adjust_controls(uint64_t cap, uint32_t want, uint32_t *missing);

/* CR0/CR4 in VMX operation: bits set in FIXED0 must be 1, bits clear in FIXED1 must be 0. */
static inline uint64_t vmx_fixed_cr(uint64_t val, uint64_t fixed0, uint64_t fixed1)
{
	return (val | fixed0) & fixed1;
}

/* Which capability MSR governs a control set: the TRUE_ variant when IA32_VMX_BASIC
 * bit 55 says it exists (it lets default-1 controls such as CR3-load exiting be
 * cleared), else the original. */
uint32_t vmx_cap_msr(uint64_t basic, uint32_t msr, uint32_t true_msr);

#endif
