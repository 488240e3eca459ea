/* vmx_regs.c - what a guest offered VMX reads in VMX's MSRs and may write into CR0
 * and CR4. */
#include "cpu.h"
#include "msr.h"
#include "nested.h"
#include "nested/caps12.h"

bool nested_rdmsr(uint32_t msr, uint64_t *val)
{
	uint64_t platform;

	if (msr == MSR_IA32_FEATURE_CONTROL) {
		*val = FEATURE_CONTROL12;
		return true;
	}
	/* The platform lacks an MSR of the range (e.g. no TRUE controls): so does L1. */
	if (msr < MSR_IA32_VMX_FIRST || msr > MSR_IA32_VMX_LAST || rdmsr_safe(msr, &platform))
		return false;
	return caps12_msr(msr, platform, val);
}

/* L1's FIXED0/FIXED1 are the platform's (caps12.c passes them through). */
bool nested_cr0_ok(const struct vcpu *v, uint64_t val)
{
	return !v->vmx12.on || vmx_cr_fixed_ok(val, caps.cr0_fixed0, caps.cr0_fixed1);
}

bool nested_cr4_ok(const struct vcpu *v, uint64_t val)
{
	return !v->vmx12.on || vmx_cr_fixed_ok(val, caps.cr4_fixed0, caps.cr4_fixed1);
}
