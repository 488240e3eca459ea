/* L1's VMX capability MSRs (vmm/nested/caps12.c), from the values Bochs's Skylake-X
 * model reports: what is withdrawn is gone, everything else is the platform's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "nested/caps12.h"
#include "msr.h"

#define SKX_BASIC           0x00d810000000002bULL
#define SKX_PROCBASED_CTLS2 0x02177fff00000000ULL
#define SKX_EPT_VPID_CAP    0x00000f0106334141ULL

static uint64_t l1(uint32_t msr, uint64_t platform)
{
	uint64_t v = 0xdeadULL;

	assert_true(caps12_msr(msr, platform, &v));
	return v;
}

static void test_basic_has_our_revision_and_the_rest(void **state)
{
	(void)state;
	uint64_t b = l1(MSR_IA32_VMX_BASIC, SKX_BASIC);
	assert_int_equal(b & 0x7fffffff, VMCS12_REVISION);
	assert_int_not_equal(VMCS12_REVISION, SKX_BASIC & 0x7fffffff);
	/* region size, memory type, INS/OUTS information and TRUE controls unchanged */
	assert_int_equal(b >> 31, SKX_BASIC >> 31);
	assert_int_equal(b, 0x00d8100000006e62ULL);
}

static void test_secondary_controls_withdrawn(void **state)
{
	(void)state;
	uint64_t p2 = l1(MSR_IA32_VMX_PROCBASED_CTLS2, SKX_PROCBASED_CTLS2);
	/* bits 0 (APIC accesses), 4 (x2APIC), 8 (APIC registers), 9 (virtual
	 * interrupts), 13 (VMFUNC), 14 (VMCS shadowing), 17 (PML) gone */
	assert_int_equal(p2, 0x02151cee00000000ULL);
	/* EPT, VPID, unrestricted guest stay */
	assert_true(p2 >> 32 & (1u << 1));
	assert_true(p2 >> 32 & (1u << 5));
	assert_true(p2 >> 32 & (1u << 7));
}

static void test_ept_without_ad(void **state)
{
	(void)state;
	assert_int_equal(l1(MSR_IA32_VMX_EPT_VPID_CAP, SKX_EPT_VPID_CAP), 0x00000f0106134141ULL);
}

static void test_misc_without_vmwrite_any_field(void **state)
{
	(void)state;
	assert_int_equal(l1(MSR_IA32_VMX_MISC, 0x20000000ULL | 0x1e0ULL), 0x1e0ULL);
}

static void test_posted_interrupts_and_tpr_shadow_withdrawn(void **state)
{
	(void)state;
	uint64_t all = 0xffffffff00000016ULL;
	assert_int_equal(l1(MSR_IA32_VMX_TRUE_PINBASED_CTLS, all), 0xffffff7f00000016ULL);
	assert_int_equal(l1(MSR_IA32_VMX_PINBASED_CTLS, all), 0xffffff7f00000016ULL);
	assert_int_equal(l1(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, all), 0xffdfffff00000016ULL);
	assert_int_equal(l1(MSR_IA32_VMX_PROCBASED_CTLS, all), 0xffdfffff00000016ULL);
}

static void test_others_pass_through(void **state)
{
	(void)state;
	static const uint32_t same[] = {
		MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
		MSR_IA32_VMX_TRUE_ENTRY_CTLS, MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1,
		MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1, MSR_IA32_VMX_VMCS_ENUM,
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_int_equal(l1(same[i], 0x123456789abcdefULL), 0x123456789abcdefULL);
}

static void test_vmfunc_and_outside_range_absent(void **state)
{
	(void)state;
	uint64_t v = 7;
	assert_false(caps12_msr(MSR_IA32_VMX_VMFUNC, 1, &v));
	assert_false(caps12_msr(0x492, 1, &v));
	assert_false(caps12_msr(0x3a, 1, &v));
	assert_int_equal(v, 7);
}

static void test_fixed_bits(void **state)
{
	(void)state;
	/* Bochs: CR0 FIXED0 PE|NE|PG, CR4 FIXED0 VMXE */
	assert_true(vmx_cr_fixed_ok(0x80000031, 0x80000021, 0xffffffff));
	assert_false(vmx_cr_fixed_ok(0x80000011, 0x80000021, 0xffffffff));  /* NE clear */
	assert_false(vmx_cr_fixed_ok(0x20, 0x2000, 0x3727ff));              /* VMXE clear */
	assert_false(vmx_cr_fixed_ok(0x2020 | (1u << 31), 0x2000, 0x3727ff)); /* beyond FIXED1 */
	assert_true(vmx_cr_fixed_ok(0x2020, 0x2000, 0x3727ff));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_has_our_revision_and_the_rest),
		cmocka_unit_test(test_secondary_controls_withdrawn),
		cmocka_unit_test(test_ept_without_ad),
		cmocka_unit_test(test_misc_without_vmwrite_any_field),
		cmocka_unit_test(test_posted_interrupts_and_tpr_shadow_withdrawn),
		cmocka_unit_test(test_others_pass_through),
		cmocka_unit_test(test_vmfunc_and_outside_range_absent),
		cmocka_unit_test(test_fixed_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
