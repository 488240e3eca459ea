/* EPT on EPT (vmm/nested/ept02.c): EPT12 tables built with lib/pt.c in a fake L1
 * RAM, walked as the processor would and composed into EPT02, checked against the
 * host-physical addresses EPT01's linear block implies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "nested/ept02.h"
#include "vmx.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)
#define SKX_EPT_VPID_CAP 0x00000f0106134141ULL /* L1's: Skylake-X minus A/D */
#define WB_BITS (VMX_EPT_RWX | (MEMTYPE_WB << VMX_EPT_MT_SHIFT))

/* Page-table memory at fake physical addresses base + 4096 * i, on the heap. One
 * arena is L1's RAM where EPT12 lives (its addresses are L1-physical), another
 * holds EPT02's tables (host-physical as far as the test cares). */
struct arena {
	uint64_t base;
	unsigned n, max;
	uint8_t *mem;
};
static struct arena l1ram = { .base = 0x100000, .max = 64 };
static struct arena host = { .base = 0x7000000000ULL, .max = 1024 };

static uint64_t alloc_table(void *ctx)
{
	struct arena *a = ctx;

	if (a->n == a->max)
		return 0;
	return a->base + 4096ULL * a->n++;
}

static uint64_t *table_ptr(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;

	return (uint64_t *)(a->mem + (pa - a->base));
}

/* L1's RAM as ept02.c reads it: the arena where it is backed, zeros elsewhere. */
static uint64_t read64(void *ctx, uint64_t gpa1)
{
	struct arena *a = ctx;

	assert_int_equal(gpa1 % 8, 0);
	if (gpa1 < a->base || gpa1 >= a->base + 4096ULL * a->max)
		return 0;
	return *table_ptr(a, gpa1);
}

static int setup(void **state)
{
	(void)state;
	l1ram.mem = calloc(l1ram.max, 4096);
	host.mem = calloc(host.max, 4096);
	l1ram.n = host.n = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(l1ram.mem);
	free(host.mem);
	return 0;
}

static struct pt pt12, pt02;

/* An empty EPT12 in 4 GiB of L1 RAM placed at ram_hpa, and an empty EPT02. */
static struct ept12 ept12(uint64_t ram_hpa)
{
	assert_int_equal(pt_init(&pt12, &pt_format_ept, 4, alloc_table, table_ptr, &l1ram), 0);
	assert_int_equal(pt_init(&pt02, &pt_format_ept, 4, alloc_table, table_ptr, &host), 0);
	return (struct ept12){
		.eptp = pt12.root | VMX_EPTP_MT_WB | (3 << VMX_EPTP_PWL_SHIFT),
		.ram_size = 4 * GIB, .ram_hpa = ram_hpa, .ept_cap = SKX_EPT_VPID_CAP,
		.maxphyaddr = 46, .read64 = read64, .ctx = &l1ram,
	};
}

/* The EPT12 entry for gpa2 at level lvl, to corrupt it. */
static uint64_t *entry12(uint64_t gpa2, int lvl)
{
	uint64_t *t = table_ptr(&l1ram, pt12.root);

	for (int l = 4; l > lvl; l--)
		t = table_ptr(&l1ram, t[PT_INDEX(gpa2, l)] & PT_ADDR_MASK);
	return &t[PT_INDEX(gpa2, lvl)];
}

static struct ept12_xlat walk(const struct ept12 *e, uint64_t gpa2, unsigned access)
{
	struct ept12_xlat x;

	ept02_walk12(e, gpa2, access, &x);
	return x;
}

/* Where EPT02 maps gpa2 (all ones: nowhere), and at which level. */
static uint64_t hpa02(uint64_t gpa2, int *level)
{
	uint64_t hpa;

	return pt_walk(&pt02, gpa2, &hpa, NULL, level, NULL) ? ~0ULL : hpa;
}

/* Each EPT12 page size, with L1's RAM at host-physical addresses aligned to 4 KiB
 * only, to 2 MiB only, and to 1 GiB: the EPT02 page is the smaller of the two. */
static void test_page_size_combinations(void **state)
{
	static const uint64_t placement[] = { 0x80001000ULL, 0x80200000ULL, 0x80000000ULL };
	static const enum pt_page sizes[] = { PT_4K, PT_2M, PT_1G };

	for (int s = 0; s < 3; s++) {
		for (int p = 0; p < 3; p++) {
			uint64_t gpa2 = 1 * GIB, gpa1 = 2 * GIB, len = PT_PAGE_BYTES(sizes[s]);
			uint64_t off[] = { 0, 8, len / 2 + 0x123, len - 1 };
			int expect = sizes[s] < sizes[p] ? sizes[s] : sizes[p], level;

			teardown(state);
			setup(state);
			struct ept12 e = ept12(placement[p]);
			assert_int_equal(pt_map(&pt12, gpa2, gpa1, len, sizes[s], WB_BITS), 0);
			assert_int_equal(ept02_page(&e, sizes[s], PT_1G), expect);
			assert_int_equal(ept02_build(&pt02, &e, PT_1G, NULL), 0);
			for (int i = 0; i < 4; i++) {
				struct ept12_xlat x = walk(&e, gpa2 + off[i], VMX_EPT_RWX);
				assert_int_equal(x.status, EPT12_MAPPED);
				assert_int_equal(x.gpa1, gpa1 + off[i]);
				assert_int_equal(x.level, sizes[s]);
				assert_int_equal(x.refs, 4 - sizes[s] + 1);
				assert_int_equal(hpa02(gpa2 + off[i], &level),
						 placement[p] + gpa1 + off[i]);
				assert_int_equal(level, expect);
			}
			assert_true(hpa02(gpa2 + len, NULL) == ~0ULL);
			assert_true(hpa02(gpa2 - 1, NULL) == ~0ULL);
			assert_int_equal(walk(&e, gpa2 + len, 0).status, EPT12_VIOLATION);
		}
	}
}

/* L0 may cap the EPT02 page below both (e.g. a platform without 1 GiB pages). */
static void test_max_page_caps(void **state)
{
	(void)state;
	struct ept12 e = ept12(4 * GIB);
	int level;

	assert_int_equal(pt_map(&pt12, 0, GIB, GIB, PT_1G, WB_BITS), 0);
	assert_int_equal(ept02_build(&pt02, &e, PT_2M, NULL), 0);
	assert_int_equal(hpa02(GIB - 1, &level), 4 * GIB + 2 * GIB - 1);
	assert_int_equal(level, PT_2M);
}

/* Rights are ANDed down the walk: a PML4E without write makes the page read/execute. */
static void test_rights_anded(void **state)
{
	(void)state;
	struct ept12 e = ept12(GIB);
	struct ept12_xlat x;
	uint64_t leaf;

	assert_int_equal(pt_map(&pt12, 0x200000, 0x400000, 2 * MIB, PT_2M, WB_BITS), 0);
	*entry12(0x200000, 4) &= ~VMX_EPT_WRITABLE;
	x = walk(&e, 0x200010, VMX_EPT_READABLE | VMX_EPT_EXECUTABLE);
	assert_int_equal(x.status, EPT12_MAPPED);
	assert_int_equal(x.leaf_bits, VMX_EPT_READABLE | VMX_EPT_EXECUTABLE |
					      (MEMTYPE_WB << VMX_EPT_MT_SHIFT));
	/* A write is an EPT violation with bits 5:3 = what EPT12 allows: R and X. */
	x = walk(&e, 0x200010, VMX_EPT_WRITABLE);
	assert_int_equal(x.status, EPT12_VIOLATION);
	assert_int_equal(x.qual_rights, VMX_EPT_READABLE | VMX_EPT_EXECUTABLE);
	assert_int_equal(ept02_build(&pt02, &e, PT_1G, NULL), 0);
	assert_int_equal(pt_walk(&pt02, 0x200010, NULL, &leaf, NULL, NULL), 0);
	assert_int_equal(leaf & VMX_EPT_RWX, VMX_EPT_READABLE | VMX_EPT_EXECUTABLE);
}

/* EPT12's memory type and IPAT go into EPT02; the address bits do not leak. */
static void test_memory_type_and_ipat(void **state)
{
	(void)state;
	struct ept12 e = ept12(GIB);
	uint64_t leaf;

	assert_int_equal(pt_map(&pt12, 0x5000, 0x9000, 0x1000, PT_4K,
				VMX_EPT_READABLE | (MEMTYPE_UC << VMX_EPT_MT_SHIFT) | VMX_EPT_IPAT),
			 0);
	assert_int_equal(walk(&e, 0x5000, 0).leaf_bits, VMX_EPT_READABLE | VMX_EPT_IPAT);
	assert_int_equal(ept02_build(&pt02, &e, PT_1G, NULL), 0);
	assert_int_equal(pt_walk(&pt02, 0x5000, NULL, &leaf, NULL, NULL), 0);
	assert_int_equal(leaf, (GIB + 0x9000) | VMX_EPT_READABLE | VMX_EPT_IPAT);
}

/* A not-present entry stops the walk there with no rights; EPT02 gets a hole. */
static void test_not_present_is_violation(void **state)
{
	(void)state;
	struct ept12 e = ept12(GIB);
	struct ept12_xlat x;

	assert_int_equal(pt_map(&pt12, 0, 0x200000, 0x1000, PT_4K, WB_BITS), 0);
	x = walk(&e, 0x40000000, VMX_EPT_READABLE);  /* PML4E present, PDPTE not */
	assert_int_equal(x.status, EPT12_VIOLATION);
	assert_int_equal(x.level, PT_1G);
	assert_int_equal(x.refs, 2);
	assert_int_equal(x.qual_rights, 0);
	x = walk(&e, 0x1000, VMX_EPT_READABLE);  /* the next PTE */
	assert_int_equal(x.status, EPT12_VIOLATION);
	assert_int_equal(x.level, PT_4K);
	assert_int_equal(x.refs, 4);
	assert_int_equal(ept02_build(&pt02, &e, PT_1G, NULL), 0);
	assert_true(hpa02(0x1000, NULL) == ~0ULL);
	assert_int_equal(hpa02(0, NULL), GIB + 0x200000);
}

static enum ept12_status status_with(struct ept12 *e, uint64_t gpa2, int lvl, uint64_t set,
				     uint64_t clear)
{
	uint64_t *ent = entry12(gpa2, lvl), saved = *ent;
	enum ept12_status s;

	*ent = (*ent & ~clear) | set;
	s = walk(e, gpa2, 0).status;
	*ent = saved;
	return s;
}

/* Each kind of misconfiguration the SDM lists, at the level it concerns. */
static void test_misconfigurations(void **state)
{
	(void)state;
	struct ept12 e = ept12(GIB);
	const uint64_t two_m = 0x40000000, four_k = 0x1000;

	assert_int_equal(pt_map(&pt12, two_m, 0x400000, 2 * MIB, PT_2M, WB_BITS), 0);
	assert_int_equal(pt_map(&pt12, four_k, 0x9000, 0x1000, PT_4K, WB_BITS), 0);
	assert_int_equal(walk(&e, two_m, 0).status, EPT12_MAPPED);
	/* write-only and write/execute */
	assert_int_equal(status_with(&e, four_k, 1, VMX_EPT_WRITABLE, 5), EPT12_MISCONFIG);
	assert_int_equal(status_with(&e, four_k, 4, 6, 1), EPT12_MISCONFIG);
	/* reserved memory types 2, 3, 7 in a leaf; bits 7:3 of a non-leaf entry */
	for (uint64_t mt = 2; mt <= 7; mt++)
		assert_int_equal(status_with(&e, four_k, 1, mt << 3, 7 << 3),
				 mt == 2 || mt == 3 || mt == 7 ? EPT12_MISCONFIG : EPT12_MAPPED);
	for (int bit = 3; bit <= 7; bit++)
		assert_int_equal(status_with(&e, four_k, 3, 1ULL << bit, 0), EPT12_MISCONFIG);
	/* bits 20:12 of a 2 MiB leaf; an address bit beyond the physical-address width */
	assert_int_equal(status_with(&e, two_m, 2, 1ULL << 12, 0), EPT12_MISCONFIG);
	assert_int_equal(status_with(&e, two_m, 2, 1ULL << 46, 0), EPT12_MISCONFIG);
	assert_int_equal(status_with(&e, four_k, 2, 1ULL << 50, 0), EPT12_MISCONFIG);
	/* bits 11:8 and 63:52 are ignored */
	assert_int_equal(status_with(&e, four_k, 1, 0xf00 | (0xfffULL << 52), 0), EPT12_MAPPED);
	/* execute-only: fine where A.10 bit 0 offers it, misconfigured elsewhere */
	assert_int_equal(status_with(&e, four_k, 1, 0, 3), EPT12_MAPPED);
	e.ept_cap &= ~1ULL;
	assert_int_equal(status_with(&e, four_k, 1, 0, 3), EPT12_MISCONFIG);
	/* a 2 MiB page where the capability MSR offers none */
	e.ept_cap &= ~VMX_EPT_2MB_PAGE_BIT;
	assert_int_equal(walk(&e, two_m, 0).status, EPT12_MISCONFIG);
	/* the build leaves a hole there, for the lazy walk to report */
	assert_int_equal(ept02_build(&pt02, &e, PT_1G, NULL), 0);
	assert_true(hpa02(two_m, NULL) == ~0ULL);
	assert_int_equal(hpa02(four_k, NULL), GIB + 0x9000);
}

/* Isolation: a page or table outside L1's RAM names both addresses, maps nothing. */
static void test_outside_l1_ram(void **state)
{
	(void)state;
	struct ept12 e = ept12(GIB);
	struct ept02_bad bad = { 0, 0 };
	struct ept12_xlat x;

	e.ram_size = 64 * MIB + MIB;  /* a 2 MiB page at 64 MiB straddles the end */
	assert_int_equal(pt_map(&pt12, 0x200000, 64 * MIB, 2 * MIB, PT_2M, WB_BITS), 0);
	x = walk(&e, 0x200000 + 0x42, VMX_EPT_READABLE);
	assert_int_equal(x.status, EPT12_OUTSIDE);
	assert_int_equal(x.gpa1, 64 * MIB);
	assert_int_equal(ept02_build(&pt02, &e, PT_1G, &bad), -2);
	assert_int_equal(bad.gpa2, 0x200000);
	assert_int_equal(bad.gpa1, 64 * MIB);
	assert_true(hpa02(0x200000, NULL) == ~0ULL);
	/* 2 MiB more RAM and the same tables compose */
	e.ram_size = 66 * MIB;
	assert_int_equal(walk(&e, 0x200042, VMX_EPT_READABLE).status, EPT12_MAPPED);
	assert_int_equal(ept02_build(&pt02, &e, PT_1G, NULL), 0);
	assert_int_equal(hpa02(0x200042, NULL), GIB + 64 * MIB + 0x42);
	/* a PDPTE whose table lies outside */
	*entry12(0x200000, 3) = (8 * GIB) | VMX_EPT_RWX;
	x = walk(&e, 0x200000, 0);
	assert_int_equal(x.status, EPT12_OUTSIDE);
	assert_int_equal(x.gpa1, 8 * GIB);
	assert_int_equal(x.level, PT_2M);
}

/* The lazy path installs exactly the one EPT02 page the violation needs. */
static void test_lazy_fill(void **state)
{
	(void)state;
	struct ept12 e = ept12(GIB + 0x3000);  /* 4 KiB-aligned only: 4 KiB EPT02 pages */
	struct ept12_xlat x;
	int level;

	assert_int_equal(pt_map(&pt12, 0, 0x400000, 2 * MIB, PT_2M, WB_BITS), 0);
	x = walk(&e, 0x12345, VMX_EPT_WRITABLE);
	assert_int_equal(x.status, EPT12_MAPPED);
	assert_int_equal(ept02_fill(&pt02, &e, 0x12345, &x, PT_1G), 0);
	assert_int_equal(hpa02(0x12345, &level), GIB + 0x3000 + 0x412345);
	assert_int_equal(level, PT_4K);
	assert_true(hpa02(0x13000, NULL) == ~0ULL);
	assert_true(hpa02(0x11fff, NULL) == ~0ULL);
}

/* A 5-level EPT12 (EPTP bits 5:3 = 4) walks one level more; a walk length the
 * EPTP check refuses translates nothing. */
static void test_walk_length(void **state)
{
	(void)state;
	struct ept12 e = ept12(GIB);
	struct pt pt5;
	struct ept12_xlat x;

	assert_int_equal(pt_init(&pt5, &pt_format_ept, 5, alloc_table, table_ptr, &l1ram), 0);
	assert_int_equal(pt_map(&pt5, 1ULL << 48, 0x9000, 0x1000, PT_4K, WB_BITS), 0);
	e.eptp = pt5.root | VMX_EPTP_MT_WB | (4 << VMX_EPTP_PWL_SHIFT);
	x = walk(&e, (1ULL << 48) | 0x10, 0);
	assert_int_equal(x.status, EPT12_MAPPED);
	assert_int_equal(x.gpa1, 0x9010);
	assert_int_equal(x.refs, 5);
	/* A 4-level EPT02 cannot reach 2^48: refused, not aliased onto 0 */
	assert_int_equal(ept02_build(&pt02, &e, PT_1G, NULL), -3);
	assert_int_equal(ept02_fill(&pt02, &e, (1ULL << 48) | 0x10, &x, PT_1G), -2);
	assert_true(hpa02(0x10, NULL) == ~0ULL);
	struct pt pt02_5;
	assert_int_equal(pt_init(&pt02_5, &pt_format_ept, 5, alloc_table, table_ptr, &host), 0);
	assert_int_equal(ept02_build(&pt02_5, &e, PT_1G, NULL), 0);
	uint64_t hpa;
	assert_int_equal(pt_walk(&pt02_5, (1ULL << 48) | 0x10, &hpa, NULL, NULL, NULL), 0);
	assert_int_equal(hpa, GIB + 0x9010);
	e.eptp = pt5.root | VMX_EPTP_MT_WB | (2 << VMX_EPTP_PWL_SHIFT);
	assert_int_equal(walk(&e, 0x10, 0).status, EPT12_MISCONFIG);
}

/* (n+1)(m+1)-1, and the three-dimensional walk EPT02 spares. */
static void test_walk_refs(void **state)
{
	(void)state;
	assert_int_equal(walk_refs_2d(4, 4), 24);
	assert_int_equal(walk_refs_2d(5, 5), 35);
	assert_int_equal(walk_refs_2d(4, walk_refs_2d(4, 4)), 124);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page_size_combinations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_page_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rights_anded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_type_and_ipat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_present_is_violation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misconfigurations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_l1_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lazy_fill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_length, setup, teardown),
		cmocka_unit_test(test_walk_refs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
