/* frame.h - physical memory allocator over a list of free ranges.
 *
 * Built from the multiboot memory map minus what is already in use (the kernel
 * image, the multiboot info, modules, the first MiB). It hands out naturally
 * aligned runs of 4 KiB frames, so 2 MiB and 1 GiB pages for page-size benchmarks
 * and EPT backing come from the same place. A range list, not a bitmap, because
 * there are only a handful of ranges and they can span gigabytes.
 * Host-testable: it never touches the memory it manages. */
#ifndef NB_FRAME_H
#define NB_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define FRAME_SIZE 4096ULL
#define FRAME_MAX_RANGES 64

struct frame_range {
	uint64_t base; /* first byte, FRAME_SIZE-aligned */
	uint64_t end;  /* one past the last byte, FRAME_SIZE-aligned */
};

struct frame_pool {
	struct frame_range r[FRAME_MAX_RANGES]; /* sorted by base, disjoint, non-adjacent */
	unsigned n;
};

void frame_pool_init(struct frame_pool *p);

/* Adds [base, base+len) as free, shrunk inwards to frame boundaries; merges with
 * neighbours. Returns 0, or -1 if the table is full. */
int frame_add(struct frame_pool *p, uint64_t base, uint64_t len);

/* Removes [base, base+len) (grown outwards to frame boundaries) from the free set,
 * wherever it overlaps. Returns 0, or -1 if a split would overflow the table. */
int frame_reserve(struct frame_pool *p, uint64_t base, uint64_t len);

/* Allocates len bytes (rounded up to frames) at an address that is a multiple of
 * align (a power of two, at least FRAME_SIZE) and below limit (0 = no limit).
 * Lowest fitting address first. Returns the address, or 0 when nothing fits
 * (address 0 is never handed out: the first MiB is always reserved). */
uint64_t frame_alloc(struct frame_pool *p, uint64_t len, uint64_t align, uint64_t limit);

/* Returns a previously allocated run to the pool. 0, or -1 if the table is full. */
int frame_free(struct frame_pool *p, uint64_t base, uint64_t len);

/* Total free bytes. */
uint64_t frame_free_bytes(const struct frame_pool *p);

#endif
