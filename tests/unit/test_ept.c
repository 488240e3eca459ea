/* The EPT builder (vmm/ept.c): entry bits, EPTP composition and isolation - only the
 * guest's RAM translates, every other guest-physical address does not. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "ept.h"
#include "vmx.h"

/* Tables live on the heap; their "physical" addresses are fake, 0x1000 * (index + 1). */
#define MAX_TABLES 64
static uint64_t *tables[MAX_TABLES];
static unsigned ntables;

static uint64_t alloc_table(void *ctx)
{
	(void)ctx;
	if (ntables == MAX_TABLES)
		return 0;
	tables[ntables] = aligned_alloc(4096, 4096);
	memset(tables[ntables], 0, 4096);
	return 0x1000ULL * ++ntables;
}

static uint64_t *table_ptr(void *ctx, uint64_t pa)
{
	(void)ctx;
	return tables[pa / 0x1000 - 1];
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ntables; i++)
		free(tables[i]);
	ntables = 0;
	return 0;
}

static void test_eptp_bits(void **state)
{
	(void)state;
	struct ept e;
	assert_int_equal(ept_init(&e, 4, false, alloc_table, table_ptr, NULL), 0);
	/* WB (6) in bits 2:0, walk length - 1 = 3 in bits 5:3, no A/D. */
	assert_int_equal(ept_pointer(&e), e.pt.root | 0x1e);
	struct ept f;
	assert_int_equal(ept_init(&f, 5, true, alloc_table, table_ptr, NULL), 0);
	assert_int_equal(ept_pointer(&f), f.pt.root | 0x66);
}

static void test_leaf_bits_2m(void **state)
{
	(void)state;
	struct ept e;
	uint64_t leaf, hpa;
	int level;
	ept_init(&e, 4, false, alloc_table, table_ptr, NULL);
	assert_int_equal(ept_map(&e, 0, 0x40000000, 64 << 20, PT_2M), 0);
	assert_int_equal(pt_walk(&e.pt, 0x3fff008, &hpa, &leaf, &level, NULL), 0);
	assert_int_equal(hpa, 0x43fff008);
	assert_int_equal(level, PT_2M);
	/* RWX, memory type WB in bits 5:3, IPAT clear, page-size bit. */
	assert_int_equal(leaf, 0x43e00000ULL | 0x7 | (6 << 3) | PT_PS);
	/* Non-leaf entries grant RWX so that leaves alone decide. */
	assert_int_equal(table_ptr(NULL, e.pt.root)[0] & 0xfff, 0x7);
}

/* The host-physical address the EPT maps gpa to, all ones where it maps nothing. */
static uint64_t hpa_of(const struct ept *e, uint64_t gpa)
{
	uint64_t hpa;

	return pt_walk(&e->pt, gpa, &hpa, NULL, NULL, NULL) ? ~0ULL : hpa;
}

static void test_only_guest_ram_translates(void **state)
{
	(void)state;
	struct ept e;
	ept_init(&e, 4, false, alloc_table, table_ptr, NULL);
	assert_int_equal(ept_map(&e, 0, 0x200000, 8 << 20, PT_4K), 0);
	assert_int_equal(hpa_of(&e, 0), 0x200000);
	assert_int_equal(hpa_of(&e, (8 << 20) - 1), 0x200000 + (8 << 20) - 1);
	assert_true(hpa_of(&e, 8 << 20) == ~0ULL);
	assert_true(hpa_of(&e, 0xfee00000) == ~0ULL);
	assert_true(hpa_of(&e, 1ULL << 40) == ~0ULL);
	/* 8 MiB of 4 KiB pages: root, PDPT, PD, 4 PTs. */
	assert_int_equal(e.pt.tables, 7);
}

static void test_1g_pages(void **state)
{
	(void)state;
	struct ept e;
	int refs;
	uint64_t hpa;
	ept_init(&e, 4, false, alloc_table, table_ptr, NULL);
	assert_int_equal(ept_map(&e, 0, 0x40000000, 1 << 30, PT_1G), 0);
	assert_int_equal(pt_walk(&e.pt, 0x1234, &hpa, NULL, NULL, &refs), 0);
	assert_int_equal(hpa, 0x40001234);
	assert_int_equal(refs, 2);
	assert_true(hpa_of(&e, 1 << 30) == ~0ULL);
	/* Misaligned host memory is refused, not silently rounded. */
	assert_int_equal(ept_map(&e, 1ULL << 30, 0x40200000, 1 << 30, PT_1G), -2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_eptp_bits, teardown),
		cmocka_unit_test_teardown(test_leaf_bits_2m, teardown),
		cmocka_unit_test_teardown(test_only_guest_ram_translates, teardown),
		cmocka_unit_test_teardown(test_1g_pages, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
