/* caps.c - capability-MSR arithmetic; see caps.h. */
#include "caps.h"
#include "vmx.h"

uint32_t vmx_adjust_controls(uint64_t cap, uint32_t want, uint32_t *missing)
{
	uint32_t must_be_1 = (uint32_t)cap, may_be_1 = (uint32_t)(cap >> 32);

	if (missing)
		*missing = want & ~may_be_1;
	return (want | must_be_1) & may_be_1;
}

uint32_t vmx_cap_msr(uint64_t basic, uint32_t msr, uint32_t true_msr)
{
	return (basic & VMX_BASIC_TRUE_CTLS) ? true_msr : msr;
}
