/* native_mem.c - the native runner's memory for the cases: pages of a given size at
 * virtual addresses that are the same in every run.
 *
 * Why fixed addresses: the TLBs are set-associative and indexed by virtual address,
 * and the paging-structure caches key on its upper bits. With ASLR, each run's buffers
 * land somewhere else, and that alone can move a miss penalty from run to run by
 * more than the differences being measured (compare repeated runs' results.csv).
 * So buffers come from an arena at a fixed base, handed out in order, and the arena
 * starts over whenever nothing is allocated: every variant of a case gets the same
 * addresses in every run.
 *
 * Page sizes: 4K pages are plain anonymous memory with THP refused; 2M and 1G come
 * from hugetlbfs when pages are reserved, and 2M otherwise from transparent huge pages,
 * checked in smaps. Where a size cannot be had, *why says so. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "native_mem.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* 16 TiB: far from where Linux puts the program, its heap, libraries and stack in a
 * 47-bit address space, and aligned to every page size. */
#define ARENA_BASE (16ULL << 40)

/* What is mapped now, with the rounded sizes munmap needs (a case frees with the size
 * it asked for). Cases hold a few buffers at a time. */
#define MAX_LIVE 16
static struct { void *p; uint64_t size; } live[MAX_LIVE];
static unsigned nlive;
static uint64_t arena_next = ARENA_BASE;
static bool warned;

/* Whether the kernel backed [p, p+size) with huge pages: AnonHugePages in smaps. */
static bool thp_backed(void *p, uint64_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	unsigned long lo, hi, kb;
	bool in = false, ok = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = lo <= (unsigned long)p && (unsigned long)p < hi;
		if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			ok = kb * 1024 >= size;
	}
	fclose(f);
	return ok;
}

/* size bytes at the arena's next address aligned to page; if that address is taken,
 * anywhere, with one warning, because then runs no longer share their layout. */
static void *map_next(uint64_t size, uint64_t page, int flags)
{
	uint64_t at = (arena_next + page - 1) & ~(page - 1);
	void *p = mmap((void *)at, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | flags, -1, 0);

	if (p == (void *)at) {
		arena_next = at + size;
		return p;
	}
	if (p != MAP_FAILED) /* a kernel before 4.17 took the address as a hint only */
		munmap(p, size);
	else if (errno != EEXIST)
		return NULL;
	if (!warned) {
		fprintf(stderr, "bench: warning: %#llx is taken; buffers go where the kernel puts "
				"them, so TLB figures may differ between runs\n",
			(unsigned long long)at);
		warned = true;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Touches every page twice (the first write faults it in, the second leaves it
 * zeroed) and remembers the mapping. */
static void *populate(void *p, uint64_t size)
{
	memset(p, 1, size);
	memset(p, 0, size);
	live[nlive].p = p;
	live[nlive++].size = size;
	return p;
}

void *native_alloc(uint64_t size, uint64_t page, const char **why)
{
	size = (size + page - 1) & ~(page - 1);
	if (nlive == MAX_LIVE) {
		*why = "too many buffers at once";
		return NULL;
	}
	if (page == 4096) {
		void *p = map_next(size, page, 0);
		if (!p) {
			*why = "mmap failed";
			return NULL;
		}
		/* Keep the kernel from promoting it to huge pages behind our back. */
		madvise(p, size, MADV_NOHUGEPAGE);
		return populate(p, size);
	}
	int shift = page == (1ULL << 30) ? 30 : 21;
	void *p = map_next(size, page, MAP_HUGETLB | (shift << MAP_HUGE_SHIFT));
	if (p)
		return populate(p, size);
	if (page == (1ULL << 30)) {
		*why = "no 1 GiB hugetlbfs pages reserved (vm.nr_hugepages for 1G)";
		return NULL;
	}
	/* No reserved 2 MiB pages: transparent huge pages on an aligned range. */
	p = map_next(size, page, 0);
	if (!p) {
		*why = "mmap failed";
		return NULL;
	}
	if ((uintptr_t)p & (page - 1)) {
		munmap(p, size);
		*why = "no 2 MiB-aligned range for transparent huge pages";
		return NULL;
	}
	madvise(p, size, MADV_HUGEPAGE);
	populate(p, size);
	if (!thp_backed(p, size)) {
		native_free(p, size);
		*why = "the kernel gave no 2 MiB pages (THP off or memory fragmented)";
		return NULL;
	}
	return p;
}

void native_free(void *p, uint64_t size)
{
	for (unsigned i = 0; i < nlive; i++)
		if (live[i].p == p) {
			size = live[i].size;
			live[i] = live[--nlive];
			break;
		}
	munmap(p, size);
	if (!nlive)
		arena_next = ARENA_BASE;
}
