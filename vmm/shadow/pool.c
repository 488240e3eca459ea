/* pool.c - the frames shadow tables are made of: a fixed set, taken from the frame
 * pool once, so the shadow can never eat the memory the hypervisor needs for
 * anything else. When every frame is in use the shadow is dropped whole and
 * refilled on demand (spt.c): a shadow is a cache of the guest's tables, and any
 * part of it may be thrown away at any time, as a TLB entry may.
 *
 * Frames are handed out in order from the block (next), then from the frames
 * given back one by one (freed): so dropping the whole shadow, on every CR3 load,
 * is two stores, not a walk of the tables or of a list. */
#include "kernel.h"
#include "printf.h"
#include "string.h"
#include "shadow/shadow.h"

/* 4 MiB: 1024 tables, whose page tables alone map 4 GiB in 4 KiB pages. */
#define SPOOL_FRAMES 1024

static uint64_t base, freed[SPOOL_FRAMES];
static unsigned next, nfreed;

void spool_init(void)
{
	base = frames_get(SPOOL_FRAMES * FRAME_SIZE, FRAME_SIZE);
	spool_reset();
}

void spool_reset(void)
{
	next = nfreed = 0;
}

/* 512 stores of 8 bytes: memset's byte loop would cost eight times the
 * instructions, and this is on the path of hidden faults. */
static void zero_frame(uint64_t pa)
{
	zero_qwords((void *)(uintptr_t)pa, FRAME_SIZE / 8);
}

uint64_t spool_alloc(void *ctx)
{
	uint64_t pa;

	(void)ctx;
	if (nfreed)
		pa = freed[--nfreed];
	else if (next < SPOOL_FRAMES)
		pa = base + next++ * FRAME_SIZE;
	else
		return 0;
	zero_frame(pa);
	return pa;
}

void spool_free(uint64_t pa)
{
	if (nfreed == SPOOL_FRAMES || pa < base || pa >= base + next * FRAME_SIZE)
		panic("shadow pool: frame %#lx is not in use", pa);
	freed[nfreed++] = pa;
}
