/* The shadow page tables of paging=shadow (vmm/shadow/spt.c, pool.c), built on the
 * host with heap memory standing in for frames: the identity shadow's PAE tables
 * (PDPTEs with no bit but P and the address, SDM 4.4.1), filling and dropping
 * entries as the guest's INVLPG must drop them (one page; every entry of a large
 * guest page, 4.10.4.1), a reset that keeps the root, and a fill that runs the pool
 * dry starting afresh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shadow/shadow.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define FAKE_RAM_HPA GIB   /* never dereferenced: only written into entries */
#define SHADOW_LEAF(hpa) ((hpa) | PTE_P | PTE_RW | PTE_US)

/* What spt.c and pool.c take from the hypervisor and its runtime. */
struct hv_config cfg;          /* vpid off: no INVVPID is executed on the host */
struct vmx_caps caps;
struct vcpu vcpu;

uint64_t frames_get(uint64_t len, uint64_t align)
{
	void *p = aligned_alloc(align, len);

	assert_non_null(p);
	return (uintptr_t)p;
}

uint64_t frames_get_table(void *ctx)
{
	(void)ctx;
	uint64_t pa = frames_get(4096, 4096);
	memset((void *)(uintptr_t)pa, 0, 4096);
	return pa;
}

uint64_t *frames_table_ptr(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)(uintptr_t)pa;
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	fail_msg("panic at %s:%d: %s", file, line, fmt);
	abort();
}

static int setup(void **state)
{
	(void)state;
	struct vcpu v = { .ram_hpa = FAKE_RAM_HPA, .ram_size = 64 * MIB };
	spt_init(&v);
	return 0;
}

static uint64_t *table(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PT_ADDR_MASK);
}

static bool mapped(uint64_t gla)
{
	return pt_walk(&shadow.spt, gla, NULL, NULL, NULL, NULL) == 0;
}

/* Guest-physical 0-64 MiB -> FAKE_RAM_HPA in 2 MiB pages under PDPTE 0 alone;
 * the PDPTEs carry P and the address only. */
static void test_identity(void **state)
{
	(void)state;
	const uint64_t *pae = (const uint64_t *)(uintptr_t)shadow.identity;
	assert_int_equal(pae[0] & ~PT_ADDR_MASK, PTE_P);
	assert_int_equal(pae[1] | pae[2] | pae[3], 0);
	const uint64_t *pd = table(pae[0]);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(pd[i], (FAKE_RAM_HPA + i * 2 * MIB) | PTE_P | PTE_RW | PTE_US | PT_PS);
	assert_int_equal(pd[32], 0);
}

/* A 4 KiB guest page: INVLPG drops its entry and no other. */
static void test_drop_one_page(void **state)
{
	(void)state;
	spt_set(0x400000, SHADOW_LEAF(FAKE_RAM_HPA), PT_4K);
	spt_set(0x401000, SHADOW_LEAF(FAKE_RAM_HPA + 0x1000), PT_4K);
	uint64_t pa = 0;
	assert_int_equal(pt_walk(&shadow.spt, 0x401234, &pa, NULL, NULL, NULL), 0);
	assert_int_equal(pa, FAKE_RAM_HPA + 0x1234);
	assert_false(spt_drop(0x400000));
	assert_false(mapped(0x400000));
	assert_true(mapped(0x401000));
}

/* Entries shadowing one 2 MiB guest page all go on an INVLPG anywhere in it; those
 * of the next 2 MiB stay. Likewise for a 1 GiB guest page. */
static void test_drop_large_page(void **state)
{
	(void)state;
	spt_set(0x200000, SHADOW_LEAF(FAKE_RAM_HPA), PT_2M);
	spt_set(0x3ff000, SHADOW_LEAF(FAKE_RAM_HPA + 0x1ff000), PT_2M);
	spt_set(0x400000, SHADOW_LEAF(FAKE_RAM_HPA), PT_4K);
	assert_true(spt_drop(0x2abcde));
	assert_false(mapped(0x200000));
	assert_false(mapped(0x3ff000));
	assert_true(mapped(0x400000));

	spt_set(GIB + 0x5000, SHADOW_LEAF(FAKE_RAM_HPA), PT_1G);
	spt_set(2 * GIB - 0x1000, SHADOW_LEAF(FAKE_RAM_HPA), PT_1G);
	assert_true(spt_drop(GIB + 0x123456));
	assert_false(mapped(GIB + 0x5000));
	assert_false(mapped(2 * GIB - 0x1000));
	assert_true(mapped(0x400000));
}

/* A reset drops everything and keeps the root: the real CR3 never changes. */
static void test_reset_keeps_root(void **state)
{
	(void)state;
	uint64_t root = shadow.spt.root;
	spt_set(0x400000, SHADOW_LEAF(FAKE_RAM_HPA), PT_4K);
	spt_reset(4);
	assert_int_equal(shadow.spt.root, root);
	assert_false(mapped(0x400000));
}

/* One page in each of 1100 2 MiB regions needs more page tables than the pool has:
 * the fill that finds it dry drops the shadow and succeeds; the latest entries
 * are there, the earliest gone. */
static void test_pool_runs_dry(void **state)
{
	(void)state;
	uint64_t fills = shadow.fills;
	for (uint64_t i = 0; i < 1100; i++)
		spt_set(i * 2 * MIB, SHADOW_LEAF(FAKE_RAM_HPA), PT_4K);
	assert_int_equal(shadow.fills - fills, 1100);
	assert_true(mapped(1099 * 2 * MIB));
	assert_false(mapped(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity, setup),
		cmocka_unit_test_setup(test_drop_one_page, setup),
		cmocka_unit_test_setup(test_drop_large_page, setup),
		cmocka_unit_test_setup(test_reset_keeps_root, setup),
		cmocka_unit_test_setup(test_pool_runs_dry, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
