/* test_native_mem.c - unit tests for the native runner's memory (host/native_mem.c):
 * the same addresses in every run, whole mappings freed, a taken address survived. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "native_mem.h"

#define MiB (1ULL << 20)

/* Whether [p, p+len) is mapped at all: msync fails with ENOMEM on a hole. */
static int mapped(void *p, size_t len)
{
	return msync(p, len, MS_ASYNC) == 0 ? 1 : (errno == ENOMEM ? 0 : -1);
}

static void test_same_addresses_after_all_freed(void **state)
{
	const char *why = NULL;
	(void)state;

	uint8_t *a = native_alloc(MiB, 4096, &why), *b = native_alloc(64 << 10, 4096, &why);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a + MiB <= b || b + (64 << 10) <= a); /* live buffers never overlap */
	assert_int_equal((uintptr_t)a % 4096, 0);
	for (size_t i = 0; i < MiB; i += 4096)
		assert_int_equal(a[i], 0);
	native_free(a, MiB);
	native_free(b, 64 << 10);
	/* The arena starts over: the next variant gets the same addresses. */
	uint8_t *a2 = native_alloc(MiB, 4096, &why), *b2 = native_alloc(64 << 10, 4096, &why);
	assert_ptr_equal(a2, a);
	assert_ptr_equal(b2, b);
	native_free(b2, 64 << 10);
	native_free(a2, MiB);
}

static void test_free_unmaps_the_rounded_mapping(void **state)
{
	const char *why = NULL;
	(void)state;

	/* 5000 bytes of 4K pages is two pages; freeing with the size asked for must
	 * unmap both. */
	uint8_t *p = native_alloc(5000, 4096, &why);
	assert_non_null(p);
	assert_int_equal(mapped(p + 4096, 4096), 1);
	native_free(p, 5000);
	assert_int_equal(mapped(p, 4096), 0);
	assert_int_equal(mapped(p + 4096, 4096), 0);
}

static void test_huge_pages_or_a_reason(void **state)
{
	const char *why = NULL;
	(void)state;

	/* 2M: hugetlbfs or THP where the kernel gives them, else NULL and why. */
	uint8_t *p = native_alloc(8192, 2 * MiB, &why);
	if (!p) {
		assert_non_null(why);
		return;
	}
	assert_int_equal((uintptr_t)p % (2 * MiB), 0);
	native_free(p, 8192);
	assert_int_equal(mapped(p + MiB, 4096), 0); /* the whole 2 MiB went */
}

static void test_taken_address_still_allocates(void **state)
{
	const char *why = NULL;
	(void)state;

	uint8_t *p = native_alloc(4096, 4096, &why);
	assert_non_null(p);
	native_free(p, 4096);
	void *block = mmap(p, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	assert_ptr_equal(block, p);
	uint8_t *q = native_alloc(4096, 4096, &why);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	q[0] = 1; /* writable */
	native_free(q, 4096);
	munmap(block, 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_addresses_after_all_freed),
		cmocka_unit_test(test_free_unmaps_the_rounded_mapping),
		cmocka_unit_test(test_huge_pages_or_a_reason),
		cmocka_unit_test(test_taken_address_still_allocates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
