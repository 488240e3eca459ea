/* paging.c - the bench guest's page-table events (struct bench_paging, for the pt.*
 * cases): the kernel writes its own page-table entries and executes the TLB
 * instructions itself, as an OS kernel does.
 *
 * A page is two frames mapped 4 KiB apart at a fresh address (guest_alloc); the
 * case's page is the first, and the second frame is where remap points its PTE every
 * other time. Entries are written with the accessed and dirty bits clear, as a kernel
 * writes a new entry, so a walk after each change sets them again. */
#include "bench_guest.h"
#include "cpu.h"
#include "kernel.h"
#include "string.h"

#define PAGE 4096ULL

struct guest_page {
	struct bench_page pub;
	volatile uint64_t *pte;
	uint64_t entry[2];   /* the PTE for the page's own frame and for the spare */
	unsigned cur;        /* which one the PTE holds */
	struct pt second;    /* spaces_new's copy (root 0: none) */
	uint64_t cr3[2];     /* the kernel's CR3 and the copy's */
	unsigned space;      /* which one is loaded */
};
/* The cases use one page at a time. */
static struct guest_page page;

static void write_pte(struct guest_page *gp, uint64_t v)
{
	*gp->pte = v;
}

static void flush(struct guest_page *gp)
{
	invlpg((uintptr_t)gp->pub.va);
}

static void remap(struct bench_page *pg)
{
	struct guest_page *gp = (struct guest_page *)pg;

	gp->cur ^= 1;
	write_pte(gp, gp->entry[gp->cur]);
	flush(gp);
}

static void map(struct bench_page *pg)
{
	struct guest_page *gp = (struct guest_page *)pg;

	gp->cur = 0;
	write_pte(gp, gp->entry[0]);
}

static void unmap(struct bench_page *pg)
{
	struct guest_page *gp = (struct guest_page *)pg;

	write_pte(gp, 0);
	flush(gp);
}

/* The read faults and the runtime's #PF handler (lib/exception.c) resumes after it,
 * through the exception table. */
static int fault(struct bench_page *pg)
{
	uint64_t v;

	return read64_safe((volatile uint64_t *)pg->va, &v);
}

/* The two address spaces: the kernel's own root and a copy of it (pt_share). CR3's
 * low bits (PWT, PCD) are kept as the kernel has them. */
static int spaces_new(struct bench_page *pg, const char **why)
{
	struct guest_page *gp = (struct guest_page *)pg;

	if (pt_share(&gp->second, kernel_pt())) {
		*why = "out of memory for a second top-level table";
		return -1;
	}
	gp->cr3[0] = read_cr3();
	gp->cr3[1] = gp->second.root | (gp->cr3[0] & ~PT_ADDR_MASK);
	gp->space = 0;
	return 0;
}

static void spaces_switch(struct bench_page *pg)
{
	struct guest_page *gp = (struct guest_page *)pg;

	gp->space ^= 1;
	write_cr3(gp->cr3[gp->space]);
}

/* Back in the kernel's own space, and the copy's root freed. */
static void spaces_free(struct guest_page *gp)
{
	if (!gp->second.root)
		return;
	write_cr3(gp->cr3[0]);
	frame_free(&frames, gp->second.root, PAGE);
}

static const struct bench_paging ops;

static struct bench_page *page_new(const char **why)
{
	uint8_t *va = guest_alloc(2 * PAGE, PAGE, why);
	uint64_t *own, *spare;

	if (!va)
		return NULL;
	own = pt_leaf(kernel_pt(), (uintptr_t)va, NULL);
	spare = pt_leaf(kernel_pt(), (uintptr_t)va + PAGE, NULL);
	page = (struct guest_page){
		.pub = { .va = va, .ops = &ops }, .pte = own, .entry = { *own, *spare },
	};
	return &page.pub;
}

static void page_free(struct bench_page *pg)
{
	struct guest_page *gp = (struct guest_page *)pg;

	spaces_free(gp);
	map(pg); /* guest_free unmaps what is mapped */
	flush(gp);
	guest_free((void *)pg->va, 2 * PAGE);
}

static const struct bench_paging ops = {
	.page_new = page_new, .page_free = page_free, .remap = remap, .unmap = unmap,
	.map = map, .fault = fault, .spaces_new = spaces_new, .spaces_switch = spaces_switch,
	.via_pte = "pte", .via_fault = "pf_handler",
	.via_space = "mov_cr3",
};

const struct bench_paging *guest_paging(void)
{
	return &ops;
}
