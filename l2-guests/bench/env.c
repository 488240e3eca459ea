/* env.c - the bench guest's side of struct bench_env: memory with a chosen page size
 * comes from physically contiguous frames mapped at a fresh virtual address with the
 * runtime's page-table builder, so a TLB case controls its guest page size exactly. */
#include "bench_guest.h"
#include "cpu.h"
#include "kernel.h"
#include "string.h"

#define PTE_P_RW 0x3ULL
/* Bench mappings start at 1 TiB: PML4 slot 2 and up, clear of the identity map. */
static uint64_t next_va = 1ULL << 40;

static enum pt_page page_level(uint64_t page_bytes)
{
	return page_bytes == (1ULL << 30) ? PT_1G : page_bytes == (2ULL << 20) ? PT_2M : PT_4K;
}

void *guest_alloc(uint64_t size, uint64_t page_bytes, const char **why)
{
	size = (size + page_bytes - 1) & ~(page_bytes - 1);
	if (page_bytes == (1ULL << 30) &&
	    !(cpuid_if_present(0x80000001, 0).d & CPUID_80000001_EDX_PAGE1GB)) {
		*why = "the CPU has no 1 GiB pages";
		return NULL;
	}
	uint64_t pa = frame_alloc(&frames, size, page_bytes, BOOT_IDENTITY_LIMIT);
	if (!pa) {
		*why = "not enough contiguous guest memory for this size and page";
		return NULL;
	}
	uint64_t va = (next_va + page_bytes - 1) & ~(page_bytes - 1);
	if (pt_map(kernel_pt(), va, pa, size, page_level(page_bytes), PTE_P_RW)) {
		frame_free(&frames, pa, size);
		*why = "mapping failed (out of page-table memory)";
		return NULL;
	}
	next_va = va + size;
	/* Zeroed, as a process's fresh memory is (size: whole pages). A 1 GiB buffer
	 * zeroed a byte at a time would be a billion Bochs instructions. */
	zero_qwords((void *)(uintptr_t)pa, size / 8);
	return (void *)(uintptr_t)va;
}

void guest_free(void *p, uint64_t size)
{
	uint64_t va = (uintptr_t)p, pa, end = va + size;
	uint64_t leaf;
	int level;

	if (pt_walk(kernel_pt(), va, &pa, &leaf, &level, NULL))
		return;
	for (uint64_t a = va; a < end; a += PT_PAGE_BYTES(level)) {
		pt_unmap(kernel_pt(), a);
		invlpg(a);
	}
	frame_free(&frames, pa, (size + PT_PAGE_BYTES(level) - 1) & ~(PT_PAGE_BYTES(level) - 1));
}

uint64_t guest_phys(const void *p)
{
	uint64_t pa;

	return pt_walk(kernel_pt(), (uintptr_t)p, &pa, NULL, NULL, NULL) ? ~0ULL : pa;
}

int guest_walk(const void *p, int *refs, int *level)
{
	return pt_walk(kernel_pt(), (uintptr_t)p, NULL, NULL, level, refs);
}
