/* L2's MSR bitmap (vmm/nested/msr02_bitmap.c): every access intercepted but those
 * of the direct MSRs, whose bits are L0's | L1's, taken from L1's page again at
 * each refresh; L0's bitmap here is the hypervisor's own policy (reads pass, writes
 * trap, but for EFER, PAT, SYSENTER, FS/GS base...). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "msr.h"
#include "nested/msr02_bitmap.h"

static uint64_t l0[MSR_BITMAP_WORDS], l1[MSR_BITMAP_WORDS], l2[MSR_BITMAP_WORDS];
static struct msr02_word w[MSR02_MAX_WORDS];
static unsigned n;

static bool bit(const uint64_t *map, uint32_t msr, bool write)
{
	int b = msr_bitmap_bit(msr, write);
	return b < 0 || (map[b / 64] >> (b % 64) & 1);
}

static void set(uint64_t *map, uint32_t msr, bool write, bool on)
{
	int b = msr_bitmap_bit(msr, write);
	if (on)
		map[b / 64] |= 1ULL << (b % 64);
	else
		map[b / 64] &= ~(1ULL << (b % 64));
}

/* L0 as msr.c builds it with pmu=off: reads pass but for the feature-control, VMX
 * and counter MSRs; writes trap but for SYSENTER, PAT, EFER and the syscall/base
 * MSRs. */
static int setup(void **state)
{
	(void)state;
	memset(l0, 0, 2048);
	memset((uint8_t *)l0 + 2048, 0xff, 2048);
	set(l0, MSR_IA32_FEATURE_CONTROL, false, true);
	set(l0, MSR_IA32_PERF_GLOBAL_CTRL, false, true);
	for (uint32_t m = MSR_IA32_SYSENTER_CS; m <= MSR_IA32_SYSENTER_EIP; m++)
		set(l0, m, true, false);
	set(l0, MSR_IA32_PAT, true, false);
	set(l0, MSR_EFER, true, false);
	for (uint32_t m = MSR_STAR; m <= MSR_SYSCALL_MASK; m++)
		set(l0, m, true, false);
	for (uint32_t m = MSR_FS_BASE; m <= MSR_IA32_TSC_AUX; m++)
		set(l0, m, true, false);
	memset(l1, 0, sizeof(l1));   /* L1 intercepts nothing */
	n = msr02_words(l0, w);
	msr02_all(l2);
	msr02_refresh(l2, l1, w, n);
	return 0;
}

static void test_bit_positions(void **state)
{
	(void)state;
	assert_int_equal(msr_bitmap_bit(0x10, false), 0x10);
	assert_int_equal(msr_bitmap_bit(0x1fff, true), 2048 * 8 + 0x1fff);
	assert_int_equal(msr_bitmap_bit(MSR_EFER, false), 1024 * 8 + 0x80);
	assert_int_equal(msr_bitmap_bit(MSR_FS_BASE, true), 3072 * 8 + 0x100);
	assert_int_equal(msr_bitmap_bit(0x2000, false), -1);
	assert_int_equal(msr_bitmap_bit(0xc0002000u, true), -1);
	assert_int_equal(msr_bitmap_bit(0x40000000u, false), -1);
}

/* Where neither L1 nor L0 intercepts a direct MSR, L2 reaches it directly. */
static void test_direct_pass_where_both_pass(void **state)
{
	(void)state;
	static const uint32_t rw[] = { MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_EIP,
				       MSR_IA32_PAT, MSR_EFER, MSR_FS_BASE, MSR_FS_BASE + 1 };
	for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++) {
		assert_false(bit(l2, rw[i], false));
		assert_false(bit(l2, rw[i], true));
	}
	assert_false(bit(l2, 0x10, false));     /* the TSC, read */
	assert_false(bit(l2, 0x1d9, false));    /* DEBUGCTL, read */
}

/* L0's intercepts stay whatever L1 says: DEBUGCTL and TSC writes, the counters. */
static void test_l0_intercepts_stay(void **state)
{
	(void)state;
	assert_true(bit(l2, 0x10, true));
	assert_true(bit(l2, 0x1d9, true));
	assert_true(bit(l2, MSR_IA32_PERF_GLOBAL_CTRL, false));
	assert_true(bit(l2, MSR_IA32_PERF_GLOBAL_CTRL, true));
}

/* Everything else is intercepted, even where both L0 and L1 pass it (L0 then
 * performs the access for L2): the MSRs L0 lets L1 reach that no VM entry or exit
 * switches, and all of the rest. */
static void test_the_rest_is_intercepted(void **state)
{
	(void)state;
	unsigned clear = 0;
	for (unsigned i = 0; i < MSR_BITMAP_WORDS; i++)
		clear += (unsigned)__builtin_popcountll(~l2[i]);
	assert_int_equal(clear, 9 + 7);   /* the reads and writes above */
	assert_true(bit(l2, MSR_STAR, false));
	assert_true(bit(l2, MSR_STAR, true));
	assert_true(bit(l2, MSR_IA32_TSC_AUX, true));
	assert_true(bit(l2, MSR_IA32_FEATURE_CONTROL, false));
	assert_true(bit(l2, 0x1b, false));      /* APIC base */
}

/* L1's intercepts are read again at every refresh: a bit it sets on its page after
 * the last entry, without telling anyone, holds at the next; one it clears, too. */
static void test_l1_rereads_every_refresh(void **state)
{
	(void)state;
	set(l1, MSR_EFER, true, true);
	set(l1, MSR_FS_BASE, false, true);
	msr02_refresh(l2, l1, w, n);
	assert_true(bit(l2, MSR_EFER, true));
	assert_true(bit(l2, MSR_FS_BASE, false));
	assert_false(bit(l2, MSR_EFER, false));
	set(l1, MSR_EFER, true, false);
	msr02_refresh(l2, l1, w, n);
	assert_false(bit(l2, MSR_EFER, true));
	/* L1 without a bitmap L0 can read: everything exits. */
	msr02_refresh(l2, NULL, w, n);
	for (unsigned i = 0; i < MSR_BITMAP_WORDS; i++)
		assert_true(l2[i] == ~0ULL);
}

static void test_few_words(void **state)
{
	(void)state;
	/* Reads: TSC, SYSENTER, DEBUGCTL, PAT, EFER, FS/GS base; writes: SYSENTER,
	 * PAT, EFER, FS/GS base; PERF_GLOBAL_CTRL's word dropped (L0 intercepts it). */
	assert_int_equal(n, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bit_positions),
		cmocka_unit_test_setup(test_direct_pass_where_both_pass, setup),
		cmocka_unit_test_setup(test_l0_intercepts_stay, setup),
		cmocka_unit_test_setup(test_the_rest_is_intercepted, setup),
		cmocka_unit_test_setup(test_l1_rereads_every_refresh, setup),
		cmocka_unit_test_setup(test_few_words, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
