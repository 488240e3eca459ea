/* test_frame.c - unit tests for the physical frame allocator (lib/frame.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "frame.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)
#define TOP (0 - FRAME_SIZE)

/* Sorted, disjoint, non-adjacent, non-empty, frame-aligned. */
static void check_invariants(const struct frame_pool *p)
{
	unsigned i;

	assert_true(p->n <= FRAME_MAX_RANGES);
	for (i = 0; i < p->n; i++) {
		assert_true(p->r[i].base < p->r[i].end);
		assert_int_equal(p->r[i].base % FRAME_SIZE, 0);
		assert_int_equal(p->r[i].end % FRAME_SIZE, 0);
		assert_true(p->r[i].end <= TOP);
		if (i > 0)
			assert_true(p->r[i - 1].end < p->r[i].base);
	}
}

/* Compares the pool with a list of (base, end) pairs. */
static void expect_ranges(const struct frame_pool *p, unsigned n, const uint64_t *be)
{
	unsigned i;

	check_invariants(p);
	assert_int_equal(p->n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(p->r[i].base, be[2 * i]);
		assert_int_equal(p->r[i].end, be[2 * i + 1]);
	}
}

#define EXPECT(p, ...)                                                          \
	do {                                                                    \
		const uint64_t be_[] = { __VA_ARGS__ };                         \
		expect_ranges(p, sizeof(be_) / sizeof(be_[0]) / 2, be_);        \
	} while (0)

static void same_pool(const struct frame_pool *a, const struct frame_pool *b)
{
	assert_int_equal(a->n, b->n);
	assert_memory_equal(a->r, b->r, a->n * sizeof(a->r[0]));
}

/* A multiboot-like machine: low memory above the first MiB up to the ACPI tables,
 * and 2 GiB above 4 GiB. */
static void multiboot_pool(struct frame_pool *p)
{
	frame_pool_init(p);
	assert_int_equal(frame_add(p, 1 * MiB, 0x7fe0000 - 1 * MiB), 0);
	assert_int_equal(frame_add(p, 4 * GiB, 2 * GiB), 0);
}

static void test_empty(void **state)
{
	struct frame_pool p;

	(void)state;
	frame_pool_init(&p);
	assert_int_equal(p.n, 0);
	assert_int_equal(frame_free_bytes(&p), 0);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 0), 0);
	assert_int_equal(frame_reserve(&p, 0, 1 * GiB), 0);
	assert_int_equal(p.n, 0);
}

static void test_add_merge(void **state)
{
	struct frame_pool p;

	(void)state;
	frame_pool_init(&p);
	/* Out of order, not touching: kept apart and sorted. */
	assert_int_equal(frame_add(&p, 0x10000, 0x2000), 0);
	assert_int_equal(frame_add(&p, 0x1000, 0x2000), 0);
	assert_int_equal(frame_add(&p, 0x20000, 0x1000), 0);
	EXPECT(&p, 0x1000, 0x3000, 0x10000, 0x12000, 0x20000, 0x21000);
	/* Adjacent on the left and on the right. */
	assert_int_equal(frame_add(&p, 0x3000, 0x1000), 0);
	assert_int_equal(frame_add(&p, 0xf000, 0x1000), 0);
	EXPECT(&p, 0x1000, 0x4000, 0xf000, 0x12000, 0x20000, 0x21000);
	/* Filling the gap exactly joins two ranges into one. */
	assert_int_equal(frame_add(&p, 0x4000, 0xb000), 0);
	EXPECT(&p, 0x1000, 0x12000, 0x20000, 0x21000);
	/* Contained: no change. */
	assert_int_equal(frame_add(&p, 0x5000, 0x1000), 0);
	EXPECT(&p, 0x1000, 0x12000, 0x20000, 0x21000);
	/* Overlapping both and beyond: one range. */
	assert_int_equal(frame_add(&p, 0x8000, 0x30000), 0);
	EXPECT(&p, 0x1000, 0x38000);
	/* Covering everything from below. */
	assert_int_equal(frame_add(&p, 0, 0x40000), 0);
	EXPECT(&p, 0, 0x40000);
	assert_int_equal(frame_free_bytes(&p), 0x40000);
}

static void test_add_unaligned(void **state)
{
	struct frame_pool p;

	(void)state;
	frame_pool_init(&p);
	/* Shrunk inwards: partial frames at either end are dropped. */
	assert_int_equal(frame_add(&p, 0x1234, 0x3000), 0);
	EXPECT(&p, 0x2000, 0x4000);
	/* Less than a whole frame, or empty: nothing. */
	assert_int_equal(frame_add(&p, 0x10001, 0xfff), 0);
	assert_int_equal(frame_add(&p, 0x20000, 0xfff), 0);
	assert_int_equal(frame_add(&p, 0x30000, 0), 0);
	assert_int_equal(frame_add(&p, 0x40800, 0x1000), 0);
	EXPECT(&p, 0x2000, 0x4000);
	/* A whole frame straddled by an unaligned range survives. */
	assert_int_equal(frame_add(&p, 0x40800, 0x2000), 0);
	EXPECT(&p, 0x2000, 0x4000, 0x41000, 0x42000);
}

static void test_add_top(void **state)
{
	struct frame_pool p;

	(void)state;
	frame_pool_init(&p);
	/* Nothing representable lies at or above TOP. */
	assert_int_equal(frame_free(&p, TOP, FRAME_SIZE), 0);
	assert_int_equal(frame_free(&p, TOP + 0x10, 0x10), 0);
	assert_int_equal(p.n, 0);
	/* base + len wraps: clamped to the top, whose last frame is not representable. */
	assert_int_equal(frame_add(&p, TOP - 0x1000, 0x10000), 0);
	EXPECT(&p, TOP - 0x1000, TOP);
	assert_int_equal(frame_add(&p, UINT64_MAX - 5, 10), 0);
	assert_int_equal(frame_add(&p, TOP, FRAME_SIZE), 0);
	assert_int_equal(frame_add(&p, TOP + 1, UINT64_MAX), 0);
	EXPECT(&p, TOP - 0x1000, TOP);
	/* The whole address space. */
	assert_int_equal(frame_add(&p, 0, UINT64_MAX), 0);
	EXPECT(&p, 0, TOP);
	assert_int_equal(frame_free_bytes(&p), TOP);
}

static void test_reserve(void **state)
{
	struct frame_pool p;

	(void)state;
	frame_pool_init(&p);
	assert_int_equal(frame_add(&p, 0x100000, 0x100000), 0);
	/* Middle: split in two. */
	assert_int_equal(frame_reserve(&p, 0x150000, 0x1000), 0);
	EXPECT(&p, 0x100000, 0x150000, 0x151000, 0x200000);
	/* Edges: trimmed. */
	assert_int_equal(frame_reserve(&p, 0x100000, 0x2000), 0);
	assert_int_equal(frame_reserve(&p, 0x1ff000, 0x1000), 0);
	EXPECT(&p, 0x102000, 0x150000, 0x151000, 0x1ff000);
	/* Overhanging an edge from outside. */
	assert_int_equal(frame_reserve(&p, 0xf0000, 0x13000), 0);
	assert_int_equal(frame_reserve(&p, 0x1fe000, 0x10000), 0);
	EXPECT(&p, 0x103000, 0x150000, 0x151000, 0x1fe000);
	/* Grown outwards: one byte takes its whole frame, a byte across a boundary two. */
	assert_int_equal(frame_reserve(&p, 0x120001, 1), 0);
	assert_int_equal(frame_reserve(&p, 0x130fff, 2), 0);
	EXPECT(&p, 0x103000, 0x120000, 0x121000, 0x130000, 0x132000, 0x150000,
	       0x151000, 0x1fe000);
	/* Spanning several: first and last trimmed, those between removed. */
	assert_int_equal(frame_reserve(&p, 0x110000, 0x50000), 0);
	EXPECT(&p, 0x103000, 0x110000, 0x160000, 0x1fe000);
	/* Nothing there, or empty: no change. */
	assert_int_equal(frame_reserve(&p, 0x500000, 0x1000), 0);
	assert_int_equal(frame_reserve(&p, 0x170000, 0), 0);
	EXPECT(&p, 0x103000, 0x110000, 0x160000, 0x1fe000);
	/* Exactly one whole range. */
	assert_int_equal(frame_reserve(&p, 0x103000, 0xd000), 0);
	EXPECT(&p, 0x160000, 0x1fe000);
	/* Wrapping length: everything from base to the top. */
	assert_int_equal(frame_add(&p, TOP - 0x10000, 0x10000), 0);
	assert_int_equal(frame_reserve(&p, 0x180000, UINT64_MAX), 0);
	EXPECT(&p, 0x160000, 0x180000);
	assert_int_equal(frame_reserve(&p, 0, UINT64_MAX), 0);
	assert_int_equal(p.n, 0);
}

static void test_alloc_basic(void **state)
{
	struct frame_pool p;

	(void)state;
	multiboot_pool(&p);
	/* Lowest first; sizes round up to whole frames. */
	assert_int_equal(frame_alloc(&p, 1, FRAME_SIZE, 0), 1 * MiB);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE + 1, 0, 0), 1 * MiB + 0x1000);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 0), 1 * MiB + 0x3000);
	EXPECT(&p, 1 * MiB + 0x4000, 0x7fe0000, 4 * GiB, 6 * GiB);
	/* Bad arguments. */
	assert_int_equal(frame_alloc(&p, 0, FRAME_SIZE, 0), 0);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, 3 * FRAME_SIZE, 0), 0);
	assert_int_equal(frame_alloc(&p, UINT64_MAX, FRAME_SIZE, 0), 0);
	assert_int_equal(frame_alloc(&p, TOP + 1, FRAME_SIZE, 0), 0);
	EXPECT(&p, 1 * MiB + 0x4000, 0x7fe0000, 4 * GiB, 6 * GiB);
}

static void test_alloc_align(void **state)
{
	struct frame_pool p;

	(void)state;
	multiboot_pool(&p);
	/* 2 MiB pages come from low memory, split around them. */
	assert_int_equal(frame_alloc(&p, 2 * MiB, 2 * MiB, 0), 2 * MiB);
	EXPECT(&p, 1 * MiB, 2 * MiB, 4 * MiB, 0x7fe0000, 4 * GiB, 6 * GiB);
	assert_int_equal(frame_alloc(&p, 2 * MiB, 2 * MiB, 0), 4 * MiB);
	/* The low range ends at 0x7fe0000: its last 2 MiB slot is 0x7c00000. */
	for (uint64_t a = 6 * MiB; a < 0x7c00000; a += 2 * MiB)
		assert_int_equal(frame_alloc(&p, 2 * MiB, 2 * MiB, 0), a);
	assert_int_equal(frame_alloc(&p, 2 * MiB, 2 * MiB, 0), 0x7c00000);
	assert_int_equal(frame_alloc(&p, 2 * MiB, 2 * MiB, 0), 4 * GiB);
	/* 1 GiB pages: none fits below 4 GiB; 4 GiB is taken by the 2 MiB page. */
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 5 * GiB);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 0);
	EXPECT(&p, 1 * MiB, 2 * MiB, 0x7e00000, 0x7fe0000, 4 * GiB + 2 * MiB, 5 * GiB);
	/* The gaps left behind are still usable by smaller requests. */
	assert_int_equal(frame_alloc(&p, 1 * MiB, 1 * MiB, 0), 1 * MiB);
	assert_int_equal(frame_alloc(&p, 64 * KiB, 64 * KiB, 0), 0x7e00000);
}

static void test_alloc_align_1g(void **state)
{
	struct frame_pool p;

	(void)state;
	multiboot_pool(&p);
	/* Alignment larger than the size. */
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, 1 * GiB, 0), 4 * GiB);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 5 * GiB);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 0);
	EXPECT(&p, 1 * MiB, 0x7fe0000, 4 * GiB + FRAME_SIZE, 5 * GiB);
	assert_int_equal(frame_free(&p, 4 * GiB, FRAME_SIZE), 0);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 4 * GiB);
	assert_int_equal(p.n, 1);
}

static void test_alloc_limit(void **state)
{
	struct frame_pool p;

	(void)state;
	multiboot_pool(&p);
	/* A run may end exactly at the limit. */
	assert_int_equal(frame_alloc(&p, 1 * MiB, FRAME_SIZE, 2 * MiB), 1 * MiB);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 2 * MiB), 0);
	/* An unaligned limit. */
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 2 * MiB + 0xfff), 0);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 2 * MiB + 0x1000),
			 2 * MiB);
	/* Below 4 GiB only low memory counts, even if the request fits above. */
	assert_int_equal(frame_alloc(&p, 512 * MiB, FRAME_SIZE, 4 * GiB), 0);
	assert_int_equal(frame_alloc(&p, 512 * MiB, FRAME_SIZE, 0), 4 * GiB);
	/* A limit inside the high range. */
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 5 * GiB + 512 * MiB), 0);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 2 * MiB, 5 * GiB + 512 * MiB),
			 4 * GiB + 512 * MiB);
}

static void test_alloc_exhaust(void **state)
{
	struct frame_pool p;
	uint64_t a, n = 0;

	(void)state;
	frame_pool_init(&p);
	assert_int_equal(frame_add(&p, 0x10000, 0x10000), 0);
	assert_int_equal(frame_alloc(&p, 0x11000, FRAME_SIZE, 0), 0);
	while ((a = frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 0)) != 0) {
		assert_int_equal(a, 0x10000 + n * FRAME_SIZE);
		n++;
	}
	assert_int_equal(n, 16);
	assert_int_equal(p.n, 0);
	assert_int_equal(frame_free_bytes(&p), 0);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 0), 0);
}

static void test_alloc_never_zero(void **state)
{
	struct frame_pool p;

	(void)state;
	frame_pool_init(&p);
	assert_int_equal(frame_add(&p, 0, 0x2000), 0);
	/* Address 0 would read as failure, so it is skipped even when free. */
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 0), 0x1000);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 0), 0);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, 2 * MiB, 0), 0);
	EXPECT(&p, 0, 0x1000);
}

static void test_alloc_top(void **state)
{
	struct frame_pool p;

	(void)state;
	frame_pool_init(&p);
	assert_int_equal(frame_add(&p, 0xffffffff00000000ULL, UINT64_MAX), 0);
	/* Three 1 GiB slots fit below TOP; the fourth would end at 2^64. */
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 0xffffffff00000000ULL);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 0xffffffff40000000ULL);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 0xffffffff80000000ULL);
	assert_int_equal(frame_alloc(&p, 1 * GiB, 1 * GiB, 0), 0);
	/* Rounding the start up to a huge alignment would wrap to 0, which must
	 * not be taken as a placement (nor carved out of a range at 0). */
	assert_int_equal(frame_add(&p, 0, 0x10000), 0);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, 1ULL << 63, 0), 0);
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, 1ULL << 63, UINT64_MAX), 0);
	EXPECT(&p, 0, 0x10000, 0xffffffffc0000000ULL, TOP);
	assert_int_equal(frame_reserve(&p, 0, 0x10000), 0);
	assert_int_equal(frame_alloc(&p, 1, FRAME_SIZE, UINT64_MAX), 0xffffffffc0000000ULL);
	/* Freeing with a wrapping length clamps to the top like everything else. */
	assert_int_equal(frame_free(&p, 0xffffffff00000000ULL, UINT64_MAX), 0);
	EXPECT(&p, 0xffffffff00000000ULL, TOP);
}

/* Allocate a mix, free in another order: the pool must come back exactly. */
static void test_free_restores(void **state)
{
	static const struct { uint64_t len, align; } req[] = {
		{ 0x1000, 0 }, { 2 * MiB, 2 * MiB }, { 0x3000, 0x4000 }, { 1 * GiB, 1 * GiB },
		{ 5 * MiB + 1, 1 * MiB }, { 0x1000, 2 * MiB }, { 100 * MiB, 0 },
		{ 0x7000, 0x10000 }, { 256 * MiB, 2 * MiB }, { 3, 0 },
	};
	static const unsigned order[] = { 3, 7, 0, 9, 5, 1, 8, 2, 6, 4 };
	uint64_t addr[10];
	struct frame_pool p, orig;
	unsigned i;

	(void)state;
	multiboot_pool(&p);
	assert_int_equal(frame_reserve(&p, 0x2000000, 0x300000), 0);
	orig = p;
	for (i = 0; i < 10; i++) {
		addr[i] = frame_alloc(&p, req[i].len, req[i].align, 0);
		assert_int_not_equal(addr[i], 0);
		if (req[i].align)
			assert_int_equal(addr[i] % req[i].align, 0);
		check_invariants(&p);
	}
	assert_true(p.n > orig.n);
	for (i = 0; i < 10; i++) {
		assert_int_equal(frame_free(&p, addr[order[i]], req[order[i]].len), 0);
		check_invariants(&p);
	}
	same_pool(&p, &orig);
}

/* 64 single frames with gaps between them fill the table. */
static void full_pool(struct frame_pool *p)
{
	unsigned i;

	frame_pool_init(p);
	for (i = 0; i < FRAME_MAX_RANGES; i++)
		assert_int_equal(frame_add(p, 4 * MiB * (i + 1), FRAME_SIZE), 0);
	assert_int_equal(p->n, FRAME_MAX_RANGES);
}

static void test_table_full(void **state)
{
	struct frame_pool p, before;

	(void)state;
	full_pool(&p);
	before = p;
	/* A new separate range does not fit; nothing changes. */
	assert_int_equal(frame_add(&p, 0x1000, 0x1000), -1);
	assert_int_equal(frame_free(&p, 0x1000, 0x1000), -1);
	same_pool(&p, &before);
	/* Merging into an existing range needs no slot. */
	assert_int_equal(frame_add(&p, 4 * MiB + FRAME_SIZE, 3 * FRAME_SIZE), 0);
	assert_int_equal(p.n, FRAME_MAX_RANGES);
	assert_int_equal(p.r[0].end, 4 * MiB + 4 * FRAME_SIZE);
	/* So does joining two ranges, which frees one. */
	assert_int_equal(frame_add(&p, 4 * MiB, 4 * MiB), 0);
	assert_int_equal(p.n, FRAME_MAX_RANGES - 1);
	assert_int_equal(p.r[0].end, 8 * MiB + FRAME_SIZE);
	assert_int_equal(frame_add(&p, 0x1000, 0x1000), 0);
	check_invariants(&p);
}

static void test_table_full_split(void **state)
{
	struct frame_pool p, before;

	(void)state;
	full_pool(&p);
	/* Grow the first range so a split is possible, keeping the table full. */
	assert_int_equal(frame_add(&p, 4 * MiB, 4 * FRAME_SIZE), 0);
	assert_int_equal(p.n, FRAME_MAX_RANGES);
	before = p;
	assert_int_equal(frame_reserve(&p, 4 * MiB + FRAME_SIZE, FRAME_SIZE), -1);
	same_pool(&p, &before);
	/* Trimming an edge or removing a whole range needs no slot. */
	assert_int_equal(frame_reserve(&p, 4 * MiB, FRAME_SIZE), 0);
	assert_int_equal(frame_reserve(&p, 8 * MiB, FRAME_SIZE), 0);
	assert_int_equal(p.n, FRAME_MAX_RANGES - 1);
	assert_int_equal(p.r[0].base, 4 * MiB + FRAME_SIZE);
	/* Full again, with r[0] = [4M+20K, 4M+64K) and r[1] = [8M, 8M+4K). */
	assert_int_equal(frame_add(&p, 4 * MiB + 4 * FRAME_SIZE, 12 * FRAME_SIZE), 0);
	assert_int_equal(frame_reserve(&p, 4 * MiB, 4 * FRAME_SIZE), 0);
	assert_int_equal(frame_add(&p, 8 * MiB, FRAME_SIZE), 0);
	assert_int_equal(frame_reserve(&p, 4 * MiB + 4 * FRAME_SIZE, FRAME_SIZE), 0);
	assert_int_equal(p.n, FRAME_MAX_RANGES);
	assert_int_equal(p.r[0].base, 4 * MiB + 5 * FRAME_SIZE);
	assert_int_equal(p.r[0].end, 4 * MiB + 16 * FRAME_SIZE);
	/* An 8 KiB-aligned frame in r[0] would split it, which no longer fits, so
	 * the allocator moves on to the next placement instead of failing. */
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, 2 * FRAME_SIZE, 0), 8 * MiB);
	/* Taken from the start of the first range: no split, fine. */
	assert_int_equal(frame_alloc(&p, FRAME_SIZE, FRAME_SIZE, 0), 4 * MiB + 5 * FRAME_SIZE);
	check_invariants(&p);
}

/* A small deterministic PRNG (xorshift64*) so failures are reproducible. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

struct live {
	uint64_t base, len;
};

static void test_stress(void **state)
{
	enum { MAXLIVE = 40, STEPS = 20000 };
	struct live live[MAXLIVE];
	unsigned nlive = 0, step, i, j, fails = 0;
	struct frame_pool p, orig;
	uint64_t total, used = 0;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	multiboot_pool(&p);
	/* Holes as a kernel image and modules would leave. */
	assert_int_equal(frame_reserve(&p, 0x100000, 0x234567), 0);
	assert_int_equal(frame_reserve(&p, 0x4000000, 0x10000), 0);
	assert_int_equal(frame_reserve(&p, 5 * GiB - 0x3000, 0x5000), 0);
	orig = p;
	total = frame_free_bytes(&p);

	for (step = 0; step < STEPS; step++) {
		bool do_alloc = nlive == 0 || (nlive < MAXLIVE && (rnd() & 1));

		if (do_alloc) {
			static const uint64_t aligns[] = { 0, FRAME_SIZE, 0x10000, 2 * MiB, 1 * GiB };
			uint64_t r = rnd();
			uint64_t align = aligns[r % 5];
			uint64_t len = (r >> 8) % 3 == 0 ? (r >> 16) % (64 * MiB) + 1
							 : ((r >> 16) % 32 + 1) * FRAME_SIZE;
			uint64_t limit = (r >> 40) % 4 == 0 ? 4 * GiB : 0;
			uint64_t a = frame_alloc(&p, len, align, limit);
			uint64_t size = (len + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);

			if (a == 0) {
				fails++;
			} else {
				assert_int_equal(a % (align ? align : FRAME_SIZE), 0);
				if (limit)
					assert_true(a + size <= limit);
				for (i = 0; i < nlive; i++)
					assert_true(a + size <= live[i].base ||
						    live[i].base + live[i].len <= a);
				live[nlive++] = (struct live){ a, size };
				used += size;
			}
		} else {
			i = rnd() % nlive;
			assert_int_equal(frame_free(&p, live[i].base, live[i].len), 0);
			used -= live[i].len;
			live[i] = live[--nlive];
		}

		check_invariants(&p);
		assert_int_equal(frame_free_bytes(&p) + used, total);
		/* No live allocation is also free. */
		for (i = 0; i < nlive; i++)
			for (j = 0; j < p.n; j++)
				assert_true(live[i].base + live[i].len <= p.r[j].base ||
					    p.r[j].end <= live[i].base);
	}
	/* Both outcomes were exercised. */
	assert_true(fails > 0);
	assert_true(fails < STEPS / 4);

	while (nlive > 0) {
		nlive--;
		assert_int_equal(frame_free(&p, live[nlive].base, live[nlive].len), 0);
	}
	same_pool(&p, &orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_add_merge),
		cmocka_unit_test(test_add_unaligned),
		cmocka_unit_test(test_add_top),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_alloc_basic),
		cmocka_unit_test(test_alloc_align),
		cmocka_unit_test(test_alloc_align_1g),
		cmocka_unit_test(test_alloc_limit),
		cmocka_unit_test(test_alloc_exhaust),
		cmocka_unit_test(test_alloc_never_zero),
		cmocka_unit_test(test_alloc_top),
		cmocka_unit_test(test_free_restores),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_table_full_split),
		cmocka_unit_test(test_stress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
