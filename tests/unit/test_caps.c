/* Capability-MSR arithmetic (vmm/caps.c), with values read off Bochs's Skylake-X model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "caps.h"
#include "vmx.h"

#define SKX_BASIC           0x00d810000000002bULL
#define SKX_PROCBASED_CTLS2 0x02177fff00000000ULL

static void test_secondary_controls_all_allowed(void **state)
{
	(void)state;
	uint32_t missing = ~0u;
	uint32_t want = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
			SECONDARY_EXEC_ENABLE_VPID | SECONDARY_EXEC_SHADOW_VMCS;
	assert_int_equal(vmx_adjust_controls(SKX_PROCBASED_CTLS2, want, &missing), want);
	assert_int_equal(missing, 0);
}

static void test_unsupported_bits_are_removed_and_reported(void **state)
{
	(void)state;
	uint32_t missing;
	/* Bit 31 of the secondary controls is clear in allowed-1 on this model. */
	uint32_t got = vmx_adjust_controls(SKX_PROCBASED_CTLS2,
					   SECONDARY_EXEC_ENABLE_EPT | (1u << 31), &missing);
	assert_int_equal(got, SECONDARY_EXEC_ENABLE_EPT);
	assert_int_equal(missing, 1u << 31);
}

static void test_must_be_one_bits_are_added(void **state)
{
	(void)state;
	/* allowed-0 = 0x16 (bits 1, 2, 4 must be 1), allowed-1 = 0xff. */
	uint64_t cap = (0xffULL << 32) | 0x16;
	uint32_t missing;
	assert_int_equal(vmx_adjust_controls(cap, 0x41, &missing), 0x57);
	assert_int_equal(missing, 0);
	assert_int_equal(vmx_adjust_controls(cap, 0, NULL), 0x16);
}

static void test_must_be_zero_wins_over_want(void **state)
{
	(void)state;
	uint64_t cap = (0x0fULL << 32) | 0x01;
	uint32_t missing;
	assert_int_equal(vmx_adjust_controls(cap, 0xf0, &missing), 0x01);
	assert_int_equal(missing, 0xf0);
}

static void test_true_msrs_used_when_basic_says_so(void **state)
{
	(void)state;
	assert_int_equal(vmx_cap_msr(SKX_BASIC, MSR_IA32_VMX_PROCBASED_CTLS,
				     MSR_IA32_VMX_TRUE_PROCBASED_CTLS),
			 MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
	assert_int_equal(vmx_cap_msr(SKX_BASIC & ~VMX_BASIC_TRUE_CTLS,
				     MSR_IA32_VMX_PROCBASED_CTLS,
				     MSR_IA32_VMX_TRUE_PROCBASED_CTLS),
			 MSR_IA32_VMX_PROCBASED_CTLS);
}

static void test_fixed_cr_bits(void **state)
{
	(void)state;
	/* Typical CR0 FIXED0 = PG|NE|PE, FIXED1 = all low 32 bits. */
	assert_int_equal(vmx_fixed_cr(0x11, 0x80000021, 0xffffffff), 0x80000031);
	/* A bit clear in FIXED1 is forced to 0. */
	assert_int_equal(vmx_fixed_cr(0x3000, 0x2000, 0x2fff), 0x2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secondary_controls_all_allowed),
		cmocka_unit_test(test_unsupported_bits_are_removed_and_reported),
		cmocka_unit_test(test_must_be_one_bits_are_added),
		cmocka_unit_test(test_must_be_zero_wins_over_want),
		cmocka_unit_test(test_true_msrs_used_when_basic_says_so),
		cmocka_unit_test(test_fixed_cr_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
