/* pte.c - chaos case pte_escape: the guest aims its own page tables at the
 * hypervisor's memory and outside its RAM.
 *
 * Page-table entries hold guest-physical addresses. A hypervisor that took one for
 * a host-physical address (the classic shadow-paging bug) would hand the guest its
 * own memory: the hypervisor's image sits at 1 MiB host-physical, and its tables
 * and the guest's RAM above it, at the addresses a guest would guess. So the case
 * maps, through fresh aliases, guest-physical 1 MiB (a 4 KiB PTE and a 2 MiB PDE
 * over 0-2 MiB) and a fresh frame below 2 MiB, and checks that each reads and
 * writes the guest's own memory there: the architectural answer. Then it points a
 * PDE at a page table just past its RAM and touches it, which the hypervisor must
 * stop, naming that guest-physical address; its self-checksum shows nothing of it
 * was reached.
 *
 * count=N (default 0) first reloads CR3 N times in a loop that touches nothing but
 * its own code, then maps 2N fresh pages with new (clean) 4 KiB PTEs, reads each
 * once and writes each once, checking that the reads set the PTEs' accessed flags
 * and not their dirty flags, and the writes their dirty flags. Under paging=shadow
 * each reload is one exit and drops the shadow, so the loop's next fetch is one
 * hidden fault; each first read is one more, and each first write too (the read
 * mapped the clean page read-only). Two runs with different N show what a CR3 load
 * and a hidden fault cost in exits (tests/integration/hv-shadow-exact.sh). */
#include "chaos.h"
#include "cmdline.h"
#include "cpu.h"
#include "exit.h"
#include "kernel.h"
#include "printf.h"
#include "report.h"

#define ALIAS 0x30000000000ULL   /* 3 TiB: a PML4 slot no boot mapping uses */
#define DIRTY_VA (ALIAS + (1ULL << 30))  /* the count= pages, under their own PD */
#define PTE_P_RW 0x3ULL
#define LOW_IMAGE 0x100000ULL    /* 1 MiB: where multiboot kernels, ours too, load */

/* The entry at level lvl translating va, in tables that map it down to that level. */
static uint64_t *entry_at(const struct pt *pt, uint64_t va, int lvl)
{
	uint64_t *t = pt->table_ptr(pt->ctx, pt->root);

	for (int l = pt->levels; l > lvl; l--)
		t = pt->table_ptr(pt->ctx, t[PT_INDEX(va, l)] & PT_ADDR_MASK);
	return &t[PT_INDEX(va, lvl)];
}

/* Each iteration: a CR3 load, then the fetch of the next instruction. 64-byte
 * alignment keeps the loop in one page. */
static void reload_cr3(uint64_t n)
{
	uint64_t cr3 = read_cr3();

	if (n)
		asm volatile(".p2align 6\n1: mov %1, %%cr3\n dec %0\n jnz 1b"
			     : "+r"(n) : "r"(cr3) : "memory");
}

/* One read, or one write, per page of [va, va + n pages), and no other memory
 * access. */
static void touch_pages(uint64_t va, uint64_t n, bool write)
{
	if (!n)
		return;
	if (write)
		asm volatile(".p2align 6\n1: mov %%rax, (%0)\n add $4096, %0\n dec %1\n jnz 1b"
			     : "+r"(va), "+r"(n) : "a"(0ULL) : "memory");
	else
		asm volatile(".p2align 6\n1: mov (%0), %%rax\n add $4096, %0\n dec %1\n jnz 1b"
			     : "+r"(va), "+r"(n) : : "rax", "memory");
}

/* How many of the n PTEs from va have A set, and how many D (4.8). */
static void count_ad(uint64_t va, uint64_t n, uint64_t *a, uint64_t *d)
{
	*a = *d = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t leaf = 0;
		pt_walk(kernel_pt(), va + i * FRAME_SIZE, NULL, &leaf, NULL, NULL);
		*a += !!(leaf & (1ULL << 5));
		*d += !!(leaf & (1ULL << 6));
	}
}

/* count= (above): CR3 loads, then first reads and first writes of clean pages. */
static void first_touches(uint64_t count)
{
	uint64_t n = 2 * count, fresh = frames_get((n + 1) * FRAME_SIZE, FRAME_SIZE), a, d;

	reload_cr3(count);
	if (!n)
		return;
	if (pt_map(kernel_pt(), DIRTY_VA, fresh, n * FRAME_SIZE, PT_4K, PTE_P_RW)) {
		report(0, "pte-dirty", "cannot map %lu pages at %#lx", n, (uint64_t)DIRTY_VA);
		return;
	}
	touch_pages(DIRTY_VA, n, false);
	count_ad(DIRTY_VA, n, &a, &d);
	bool read_ok = a == n && d == 0;
	touch_pages(DIRTY_VA, n, true);
	count_ad(DIRTY_VA, n, &a, &d);
	report(read_ok && a == n && d == n, "pte-dirty",
	       "%lu clean pages read, then written: accessed %lu, dirty %lu (after the reads "
	       "%s)", n, a, d, read_ok ? "accessed, clean" : "WRONG");
}

/* Maps va -> pa (a page of the given size), reads and writes through the alias and
 * checks that the identity map (va = pa) sees the same memory. */
static void alias_check(const char *name, uint64_t va, uint64_t pa, enum pt_page size,
			uint64_t off)
{
	struct pt *pt = kernel_pt();
	int r = pt_map(pt, va, pa, PT_PAGE_BYTES(size), size, PTE_P_RW);

	if (r) {
		report(0, name, "pt_map(%#lx -> %#lx) returned %d", va, pa, r);
		return;
	}
	volatile uint64_t *alias = (uint64_t *)(va + off), *own = (uint64_t *)(pa + off);
	uint64_t before = *own, via_alias = *alias;
	*alias = ~before;
	uint64_t after = *own;
	*alias = before;
	report(via_alias == before && after == ~before, name,
	       "guest-physical %#lx through va %#lx: read %#lx (own %#lx), wrote %#lx, own "
	       "memory then %#lx", pa + off, va + off, via_alias, before, ~before, after);
}

int case_pte_escape(void)
{
	uint64_t count = 0;

	if (cmdline_get_u64(boot.cmdline, "count", &count) == -2 || count > 4096) {
		printf("error: count= takes 0..4096\n");
		return EXIT_BADARGS;
	}
	first_touches(count);
	printf("chaos: %lu CR3 loads, then %lu clean pages read and written\n", count,
	       2 * count);

	uint64_t frame = frames_get(FRAME_SIZE, FRAME_SIZE);
	alias_check("pte-image", ALIAS, LOW_IMAGE, PT_4K, 0);
	alias_check("pte-frame", ALIAS + 0x1000, frame, PT_4K, 0x88);
	alias_check("pte-large", ALIAS + (2ULL << 20), 0, PT_2M, LOW_IMAGE + 0x10);
	printf("chaos pte_escape: %u passed, %u failed, %u skipped\n", report_counts.passed,
	       report_counts.failed, report_counts.skipped);

	/* A PDE whose page table lies just past RAM: the walk reads its entry there. */
	uint64_t va = ALIAS + (4ULL << 20) + 5 * FRAME_SIZE, table = ram_end();
	struct pt *pt = kernel_pt();
	if (pt_map(pt, va, frame, FRAME_SIZE, PT_4K, PTE_P_RW)) {
		printf("FAIL pte_escape: cannot map %#lx\n", va);
		return EXIT_FAIL;
	}
	*entry_at(pt, va, PT_2M) = table | PTE_P_RW;
	invlpg(va);
	announce("reading %#lx through a page table at guest-physical %#lx, past RAM: its "
		 "entry is at %#lx", va, table, table + 8 * PT_INDEX(va, PT_4K));
	uint64_t v = *(volatile uint64_t *)va;
	announce("read %#lx", v);
	return still_running("pte_escape");
}
