/* frame.c - physical memory allocator over a sorted list of free ranges.
 *
 * Every operation reduces to two primitives on frame-aligned [base, end) pairs:
 * range_insert (union, merging what it touches) and range_cut (difference,
 * trimming or splitting what it overlaps). Both go through splice(), which checks
 * the table size before changing anything, so a failed call leaves the pool as it
 * was.
 *
 * An exclusive end of 2^64 cannot be stored, so the last frame of the address space
 * is never managed: any input reaching into it, or wrapping past 2^64, is clamped
 * to FRAME_TOP. Physical addresses stop at 2^52, so nothing real is lost. */
#include "frame.h"

#define FRAME_TOP (0 - FRAME_SIZE) /* highest frame-aligned end we can represent */

static uint64_t align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

/* Only called where x + a - 1 cannot wrap. */
static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* base + len, with a wrap or anything above FRAME_TOP meaning "to the top". */
static uint64_t clamp_end(uint64_t base, uint64_t len)
{
	uint64_t end = base + len;

	return (end < base || end > FRAME_TOP) ? FRAME_TOP : end;
}

/* Replaces r[i..j) by nr[0..k). Returns -1, changing nothing, if the result
 * would not fit in the table. */
static int splice(struct frame_pool *p, unsigned i, unsigned j,
		  const struct frame_range *nr, unsigned k)
{
	unsigned tail = p->n - j, t;

	if (p->n - (j - i) + k > FRAME_MAX_RANGES)
		return -1;
	/* Move the tail in the direction that does not overwrite itself. */
	if (i + k < j) {
		for (t = 0; t < tail; t++)
			p->r[i + k + t] = p->r[j + t];
	} else if (i + k > j) {
		for (t = tail; t-- > 0;)
			p->r[i + k + t] = p->r[j + t];
	}
	for (t = 0; t < k; t++)
		p->r[i + t] = nr[t];
	p->n = p->n - (j - i) + k;
	return 0;
}

/* Adds [b, e), merging every range that overlaps or touches it, so the list stays
 * non-adjacent and one free run is always one entry. */
static int range_insert(struct frame_pool *p, uint64_t b, uint64_t e)
{
	struct frame_range m = { b, e };
	unsigned i = 0, j;

	while (i < p->n && p->r[i].end < b)
		i++;
	for (j = i; j < p->n && p->r[j].base <= e; j++)
		;
	if (j > i) {
		if (p->r[i].base < m.base)
			m.base = p->r[i].base;
		if (p->r[j - 1].end > m.end)
			m.end = p->r[j - 1].end;
	}
	return splice(p, i, j, &m, 1);
}

/* Removes [b, e). Only the first and last overlapped ranges can keep a piece;
 * when they are the same range that is a split and needs one more slot. */
static int range_cut(struct frame_pool *p, uint64_t b, uint64_t e)
{
	struct frame_range keep[2];
	unsigned i = 0, j, k = 0;

	while (i < p->n && p->r[i].end <= b)
		i++;
	for (j = i; j < p->n && p->r[j].base < e; j++)
		;
	if (j == i)
		return 0;
	if (p->r[i].base < b)
		keep[k++] = (struct frame_range){ p->r[i].base, b };
	if (p->r[j - 1].end > e)
		keep[k++] = (struct frame_range){ e, p->r[j - 1].end };
	return splice(p, i, j, keep, k);
}

void frame_pool_init(struct frame_pool *p)
{
	p->n = 0;
}

int frame_add(struct frame_pool *p, uint64_t base, uint64_t len)
{
	uint64_t b, e;

	/* Shrink inwards: a partial frame at either edge is not ours to hand out. */
	if (len == 0 || base > FRAME_TOP)
		return 0;
	b = align_up(base, FRAME_SIZE);
	e = align_down(clamp_end(base, len), FRAME_SIZE);
	if (b >= e)
		return 0;
	return range_insert(p, b, e);
}

/* [base, base+len) grown outwards to whole frames, then handed to op. */
static int outwards(struct frame_pool *p, uint64_t base, uint64_t len,
		    int (*op)(struct frame_pool *, uint64_t, uint64_t))
{
	uint64_t b, e;

	if (len == 0)
		return 0;
	b = align_down(base, FRAME_SIZE);
	e = align_up(clamp_end(base, len), FRAME_SIZE);
	return b < e ? op(p, b, e) : 0;
}

int frame_reserve(struct frame_pool *p, uint64_t base, uint64_t len)
{
	/* Grow outwards: a partially used frame is a used frame. */
	return outwards(p, base, len, range_cut);
}

uint64_t frame_alloc(struct frame_pool *p, uint64_t len, uint64_t align, uint64_t limit)
{
	uint64_t size;
	unsigned i;

	if (align < FRAME_SIZE)
		align = FRAME_SIZE;
	if (len == 0 || len > FRAME_TOP || (align & (align - 1)))
		return 0;
	size = align_up(len, FRAME_SIZE);
	if (limit == 0)
		limit = FRAME_TOP;

	for (i = 0; i < p->n; i++) {
		/* Start at 1 rather than 0 so address 0 stays free to mean failure. */
		uint64_t lo = p->r[i].base ? p->r[i].base : 1;
		uint64_t end = p->r[i].end < limit ? p->r[i].end : limit;
		uint64_t a;

		if (lo > UINT64_MAX - (align - 1))
			continue;
		a = align_up(lo, align);
		if (a >= end || end - a < size)
			continue;
		/* Carving from the middle splits the range; with a full table that
		 * placement is impossible, so look further rather than fail. */
		if (range_cut(p, a, a + size) == 0)
			return a;
	}
	return 0;
}

int frame_free(struct frame_pool *p, uint64_t base, uint64_t len)
{
	/* The mirror of frame_alloc: len is rounded up to frames as it was there. */
	return outwards(p, base, len, range_insert);
}

uint64_t frame_free_bytes(const struct frame_pool *p)
{
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < p->n; i++)
		sum += p->r[i].end - p->r[i].base;
	return sum;
}
