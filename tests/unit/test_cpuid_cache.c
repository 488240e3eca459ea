/* The CPUID cache of vmm/cpuid_cache.c on a made-up processor: a leaf that ignores
 * ECX is answered for any subleaf, one with subleaves per subleaf (the last
 * standing for the invalid ones after it, as far as they were probed), and what
 * was not probed - a subleaf past the probed ones of a leaf 0xB-like, a leaf past
 * the processor's maximum or past the table, answers the pool has no room for - is
 * a miss. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "cpuid_cache.h"

static struct cpuid_cache cache;
static uint32_t max_basic, max_ext;
static bool many_subleaves;  /* leaves 0x20 and up are 0xB-like too */

/* Leaf 0 and 0x80000000: the maximums. Leaf 4: three caches, then invalid (zero)
 * subleaves. Leaf 0xB: like the SDM's topology leaf, ECX[7:0] echoes the subleaf at
 * every one of them, and so do leaves 0x20 and up with many_subleaves. Every other
 * leaf ignores ECX. */
static struct cpuid fake(uint32_t leaf, uint32_t subleaf)
{
	if (leaf == 0)
		return (struct cpuid){ max_basic, 0x756e6547, 0x6c65746e, 0x49656e69 };
	if (leaf == CPUID_EXT_BASE)
		return (struct cpuid){ max_ext, 0, 0, 0 };
	if (leaf == 4)
		return subleaf < 3 ? (struct cpuid){ 0x100 + subleaf, 1, 2, 3 }
				   : (struct cpuid){ 0, 0, 0, 0 };
	if (leaf == 0xb || (many_subleaves && leaf >= 0x20 && leaf < CPUID_EXT_BASE))
		return (struct cpuid){ subleaf < 2, 0, subleaf & 0xff, 7 };
	return (struct cpuid){ leaf, ~leaf, leaf * 3, 42 };
}

static int setup(void **state)
{
	(void)state;
	many_subleaves = false;
	max_basic = 0x16;
	max_ext = 0x80000008;
	cpuid_cache_fill(&cache, fake);
	return 0;
}

static void expect(uint32_t leaf, uint32_t subleaf, struct cpuid want)
{
	const struct cpuid *got = cpuid_cache_find(&cache, leaf, subleaf);

	assert_non_null(got);
	assert_int_equal(got->a, want.a);
	assert_int_equal(got->b, want.b);
	assert_int_equal(got->c, want.c);
	assert_int_equal(got->d, want.d);
}

static void test_flat_leaves(void **state)
{
	(void)state;
	expect(0, 0, fake(0, 0));
	expect(0, 0x12345, fake(0, 0));
	expect(1, 0xffffffff, fake(1, 0));
	expect(0x16, 7, fake(0x16, 0));
	expect(0x80000001, 99, fake(0x80000001, 0));
	expect(0x80000008, 0, fake(0x80000008, 0));
	/* A flat leaf takes one entry (21 basic, 9 extended); leaf 4 four (three caches,
	 * then the invalid subleaves' one), leaf 0xB every probed subleaf. */
	assert_int_equal(cache.used, 21 + 9 + 4 + CPUID_CACHE_SUBLEAVES);
}

static void test_subleaves(void **state)
{
	(void)state;
	for (uint32_t s = 0; s < 3; s++)
		expect(4, s, fake(4, s));
	expect(4, 3, fake(4, 3));
	expect(4, CPUID_CACHE_SUBLEAVES - 1, (struct cpuid){ 0, 0, 0, 0 });
	for (uint32_t s = 0; s < CPUID_CACHE_SUBLEAVES; s++)
		expect(0xb, s, fake(0xb, s));
	/* Not probed: the next subleaf's ECX would not be the last one's. */
	assert_null(cpuid_cache_find(&cache, 0xb, CPUID_CACHE_SUBLEAVES));
	assert_null(cpuid_cache_find(&cache, 4, CPUID_CACHE_SUBLEAVES));
}

static void test_out_of_range(void **state)
{
	(void)state;
	assert_null(cpuid_cache_find(&cache, 0x17, 0));
	assert_null(cpuid_cache_find(&cache, 0x40000000, 0));
	assert_null(cpuid_cache_find(&cache, 0x80000009, 0));
	assert_null(cpuid_cache_find(&cache, 0xffffffff, 0));
}

/* A range longer than the table: its first CPUID_CACHE_LEAVES leaves only. */
static void test_past_the_table(void **state)
{
	(void)state;
	max_basic = 0x200;
	cpuid_cache_fill(&cache, fake);
	expect(CPUID_CACHE_LEAVES - 1, 0, fake(CPUID_CACHE_LEAVES - 1, 0));
	assert_null(cpuid_cache_find(&cache, CPUID_CACHE_LEAVES, 0));
}

/* No extended range (maximum below 0x80000000): every extended leaf misses. */
static void test_no_extended_range(void **state)
{
	(void)state;
	max_ext = 0;
	cpuid_cache_fill(&cache, fake);
	assert_null(cpuid_cache_find(&cache, CPUID_EXT_BASE, 0));
	assert_null(cpuid_cache_find(&cache, 0x80000001, 0));
	expect(1, 0, fake(1, 0));
}

/* Leaves the pool has no room for miss; those before them are still answered,
 * and so are the extended leaves, which take one entry each. */
static void test_pool_full(void **state)
{
	(void)state;
	max_basic = CPUID_CACHE_LEAVES - 1;
	many_subleaves = true;
	cpuid_cache_fill(&cache, fake);
	assert_true(cache.used <= CPUID_CACHE_ENTRIES);
	expect(0xb, 5, fake(0xb, 5));
	expect(0x20, 63, fake(0x20, 63));
	assert_null(cpuid_cache_find(&cache, CPUID_CACHE_LEAVES - 1, 0));
	expect(0x80000008, 0, fake(0x80000008, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_flat_leaves, setup),
		cmocka_unit_test_setup(test_subleaves, setup),
		cmocka_unit_test_setup(test_out_of_range, setup),
		cmocka_unit_test_setup(test_past_the_table, setup),
		cmocka_unit_test_setup(test_no_extended_range, setup),
		cmocka_unit_test_setup(test_pool_full, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
