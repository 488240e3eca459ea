/* The guest-table walk of paging=shadow (vmm/shadow/gwalk.c): guest tables built
 * with lib/pt.c in a fake guest RAM, walked for accesses of every kind, each outcome
 * checked against the SDM: the error code of a refused access (Vol. 3A, 4.7), the
 * combined rights (4.6), reserved bits (4.5), the accessed and dirty flags set only
 * by a walk that succeeds (4.8), and a table outside RAM named by its entry's
 * guest-physical address. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "cr.h"
#include "msr.h"
#include "shadow/shadow.h"

#define RAM_PAGES 64
#define RAM (RAM_PAGES * 4096ULL)
#define USER_VA 0x400000ULL        /* a 4 KiB user page, read/write */
#define RO_VA 0x401000ULL          /* a 4 KiB user page, read-only */
#define KERNEL_VA 0x40000000ULL    /* a 2 MiB supervisor page over guest-physical 0-2 MiB */
#define NX_VA 0x402000ULL          /* a 4 KiB user page, execute-disable */
#define UNMAPPED_VA 0x7f0000000000ULL
#define DATA_GPA 0x20000ULL

struct shadow_state shadow;
static struct vcpu v;
static struct pt gpt;
static unsigned next_table;

/* Guest RAM: v.ram_hpa is where the test backs it, so gpa_ptr() works unchanged. */
static uint64_t alloc_table(void *ctx)
{
	(void)ctx;
	return 4096ULL * ++next_table; /* from 4 KiB up (0 is "none"): data is above */
}

static uint64_t *table_ptr(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return gpa_ptr(&v, gpa);
}

static int setup(void **state)
{
	(void)state;
	void *ram = aligned_alloc(4096, RAM);
	memset(ram, 0, RAM);
	v = (struct vcpu){ .ram_hpa = (uintptr_t)ram, .ram_size = RAM };
	next_table = 0;
	assert_int_equal(pt_init(&gpt, &pt_format_x86, 4, alloc_table, table_ptr, NULL), 0);
	assert_int_equal(pt_map(&gpt, USER_VA, DATA_GPA, 4096, PT_4K, PTE_P | PTE_RW | PTE_US), 0);
	assert_int_equal(pt_map(&gpt, RO_VA, DATA_GPA + 0x1000, 4096, PT_4K, PTE_P | PTE_US), 0);
	assert_int_equal(pt_map(&gpt, NX_VA, DATA_GPA + 0x2000, 4096, PT_4K,
				PTE_P | PTE_RW | PTE_US | PTE_XD), 0);
	assert_int_equal(pt_map(&gpt, KERNEL_VA, 0, 2 << 20, PT_2M, PTE_P | PTE_RW), 0);
	shadow = (struct shadow_state){ .cr3 = gpt.root, .cr0 = CR0_PE | CR0_PG | CR0_WP,
					.cr4 = CR4_PAE, .efer = EFER_LME | EFER_LMA | EFER_NXE,
					.paged = true };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free((void *)(uintptr_t)v.ram_hpa);
	return 0;
}

static struct gwalk walk(uint64_t gla, uint32_t pfec)
{
	struct gwalk w = { .gla = gla, .pfec = pfec };

	gwalk(&v, &w);
	return w;
}

static uint64_t leaf_of(uint64_t va)
{
	uint64_t leaf = 0;

	pt_walk(&gpt, va, NULL, &leaf, NULL, NULL);
	return leaf;
}

/* A read sets A in all four entries, not D; a write then sets D. */
static void test_accessed_dirty(void **state)
{
	(void)state;
	struct gwalk w = walk(USER_VA + 0x123, PFEC_U);
	assert_int_equal(w.result, GW_OK);
	assert_int_equal(w.gpa, DATA_GPA + 0x123);
	assert_int_equal(w.level, PT_4K);
	assert_true(w.writable && w.user && !w.nx);
	assert_true(leaf_of(USER_VA) & PTE_A);
	assert_false(leaf_of(USER_VA) & PTE_D);
	uint64_t *pml4 = gpa_ptr(&v, gpt.root);
	assert_true(pml4[PT_INDEX(USER_VA, 4)] & PTE_A);
	w = walk(USER_VA, PFEC_W | PFEC_U);
	assert_int_equal(w.result, GW_OK);
	assert_true(w.leaf & PTE_D);
	assert_true(leaf_of(USER_VA) & PTE_D);
}

/* Not present: P clear, the access's W/U/I bits; no flag set. */
static void test_not_present(void **state)
{
	(void)state;
	assert_int_equal(walk(UNMAPPED_VA, 0).error, 0);
	struct gwalk w = walk(UNMAPPED_VA, PFEC_W | PFEC_U);
	assert_int_equal(w.result, GW_FAULT);
	assert_int_equal(w.error, PFEC_W | PFEC_U);
	assert_int_equal(walk(UNMAPPED_VA, PFEC_I).error, PFEC_I);
}

/* Read-only: a user write faults (P|W|U); a supervisor write only under CR0.WP;
 * a failed walk sets neither A nor D. */
static void test_read_only(void **state)
{
	(void)state;
	struct gwalk w = walk(RO_VA, PFEC_W | PFEC_U);
	assert_int_equal(w.result, GW_FAULT);
	assert_int_equal(w.error, PFEC_P | PFEC_W | PFEC_U);
	assert_false(leaf_of(RO_VA) & (PTE_A | PTE_D));
	assert_int_equal(walk(RO_VA, PFEC_W).error, PFEC_P | PFEC_W);
	shadow.cr0 &= ~CR0_WP;
	w = walk(RO_VA, PFEC_W);
	assert_int_equal(w.result, GW_OK);
	assert_false(w.writable);
	assert_true(leaf_of(RO_VA) & PTE_D);
	assert_int_equal(walk(RO_VA, PFEC_W | PFEC_U).result, GW_FAULT);
}

/* A supervisor page (U/S clear in its leaf): user accesses fault with P|U. */
static void test_supervisor_page(void **state)
{
	(void)state;
	assert_int_equal(walk(KERNEL_VA + 0x5000, 0).result, GW_OK);
	struct gwalk w = walk(KERNEL_VA + 0x5000, PFEC_U);
	assert_int_equal(w.result, GW_FAULT);
	assert_int_equal(w.error, PFEC_P | PFEC_U);
}

/* XD with EFER.NXE: a fetch faults with P|I, a read passes. Without NXE, bit 63 is
 * reserved: any access faults with P|RSVD. */
static void test_execute_disable(void **state)
{
	(void)state;
	assert_int_equal(walk(NX_VA, PFEC_I | PFEC_U).error, PFEC_P | PFEC_I | PFEC_U);
	struct gwalk w = walk(NX_VA, PFEC_U);
	assert_int_equal(w.result, GW_OK);
	assert_true(w.nx);
	shadow.efer &= ~EFER_NXE;
	w = walk(NX_VA, PFEC_U);
	assert_int_equal(w.result, GW_FAULT);
	assert_int_equal(w.error, PFEC_P | PFEC_RSVD | PFEC_U);
}

/* SMEP: a supervisor fetch from a user page faults; SMAP: a supervisor read of a
 * user page faults unless RFLAGS.AC. */
static void test_smep_smap(void **state)
{
	(void)state;
	assert_int_equal(walk(USER_VA, PFEC_I).result, GW_OK);
	shadow.cr4 |= CR4_SMEP | CR4_SMAP;
	assert_int_equal(walk(USER_VA, PFEC_I).error, PFEC_P | PFEC_I);
	assert_int_equal(walk(USER_VA, 0).error, PFEC_P);
	struct gwalk w = { .gla = USER_VA, .ac = true };
	gwalk(&v, &w);
	assert_int_equal(w.result, GW_OK);
	assert_int_equal(walk(USER_VA, PFEC_U).result, GW_OK);
}

/* Reserved bits: PS in a PML4E; an address bit above MAXPHYADDR; bits 20:13 of a
 * 2 MiB leaf. */
static void test_reserved(void **state)
{
	(void)state;
	uint64_t *pml4 = gpa_ptr(&v, gpt.root);
	pml4[PT_INDEX(USER_VA, 4)] |= PT_PS;
	assert_int_equal(walk(USER_VA, PFEC_W).error, PFEC_P | PFEC_RSVD | PFEC_W);
	pml4[PT_INDEX(USER_VA, 4)] &= ~PT_PS;
	unsigned maxphy = guest_maxphyaddr();
	if (maxphy < 52) {
		pml4[PT_INDEX(USER_VA, 4)] |= 1ULL << maxphy;
		assert_int_equal(walk(USER_VA, 0).error, PFEC_P | PFEC_RSVD);
		pml4[PT_INDEX(USER_VA, 4)] &= ~(1ULL << maxphy);
	}
	struct gwalk w = walk(KERNEL_VA + 0x1234, 0);
	assert_int_equal(w.result, GW_OK);
	assert_int_equal(w.level, PT_2M);
	assert_int_equal(w.gpa, 0x1234);
	uint64_t *pdpt = gpa_ptr(&v, pml4[PT_INDEX(KERNEL_VA, 4)] & PT_ADDR_MASK);
	uint64_t *pd = gpa_ptr(&v, pdpt[PT_INDEX(KERNEL_VA, 3)] & PT_ADDR_MASK);
	pd[PT_INDEX(KERNEL_VA, 2)] |= 1ULL << 13;
	assert_int_equal(walk(KERNEL_VA, 0).error, PFEC_P | PFEC_RSVD);
}

/* A page table outside RAM: the walk stops there, naming its entry's address. */
static void test_table_outside_ram(void **state)
{
	(void)state;
	uint64_t *pml4 = gpa_ptr(&v, gpt.root);
	uint64_t *pdpt = gpa_ptr(&v, pml4[PT_INDEX(USER_VA, 4)] & PT_ADDR_MASK);
	uint64_t *pd = gpa_ptr(&v, pdpt[PT_INDEX(USER_VA, 3)] & PT_ADDR_MASK);
	pd[PT_INDEX(USER_VA, 2)] = RAM | PTE_P | PTE_RW | PTE_US;
	struct gwalk w = walk(USER_VA, 0);
	assert_int_equal(w.result, GW_OUTSIDE);
	assert_int_equal(w.gpa, RAM + 8 * PT_INDEX(USER_VA, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accessed_dirty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_present, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_supervisor_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_execute_disable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smep_smap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_outside_ram, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
