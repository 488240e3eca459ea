/* pool.c - the frames shadow tables are made of: a fixed set, taken from the frame
 * pool once, so the shadow can never eat the memory the hypervisor needs for
 * anything else. When every frame is in use the shadow is dropped whole and
 * refilled on demand (spt.c): a shadow is a cache of the guest's tables, and any
 * part of it may be thrown away at any time, as a TLB entry may. */
#include "printf.h"
#include "kernel.h"
#include "shadow/shadow.h"
#include "string.h"

/* 4 MiB: 2048 page tables map 4 GiB of 4 KiB pages, more than a guest's working set
 * under Bochs. */
#define SPOOL_FRAMES 1024

static uint64_t base, free_frames[SPOOL_FRAMES];
static unsigned nfree;

static void spool_init_list(void)
{
	for (unsigned i = 0; i < SPOOL_FRAMES; i++)
		free_frames[i] = base + i * FRAME_SIZE;
	nfree = SPOOL_FRAMES;
}

void spool_init(void)
{
	base = frames_get(SPOOL_FRAMES * FRAME_SIZE, FRAME_SIZE);
	spool_init_list();
}

uint64_t spool_alloc(void *ctx)
{
	(void)ctx;
	if (!nfree)
		return 0;
	uint64_t pa = free_frames[--nfree];
	memset((void *)(uintptr_t)pa, 0, FRAME_SIZE);
	return pa;
}

void spool_free(uint64_t pa)
{
	if (nfree == SPOOL_FRAMES)
		panic("shadow pool: frame %#lx freed twice", pa);
	free_frames[nfree++] = pa;
}

/* Every frame free again: the whole shadow is dropped at once, with no walk of it. */
void spool_reset(void)
{
	spool_init_list();
}

unsigned spool_free_count(void)
{
	return nfree;
}
