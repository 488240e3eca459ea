/* native_paging.c - the native runner's page-table events (struct bench_paging, for
 * the pt.* cases): a process cannot write its page tables, so it asks its kernel to,
 * with the system call that makes the kernel do what the bench guest does itself.
 *
 * - remap: mprotect() toggling write permission: the kernel rewrites the PTE and
 *   flushes the page's TLB entry (INVLPG on this CPU).
 * - unmap/map: mprotect() to PROT_NONE (the PTE made not present, its TLB entry
 *   flushed) and back to read/write (a present PTE written; the page stays
 *   populated, so the next read is a TLB miss and a walk, not a fault).
 * - fault: a read of the PROT_NONE page; the kernel turns the #PF into SIGSEGV and
 *   our handler resumes after the read (the analogue of a guest handling its own
 *   fault, with the kernel's signal delivery and sigreturn on top).
 * - no second address space: a process cannot load CR3. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "bench.h"
#include "native_paging.h"

#define PAGE 4096
#define VECTOR_PF 14

/* The read that faults, in a function of its own so that the handler knows the
 * instruction's address and where to resume: returns 0, or VECTOR_PF in RAX when
 * the handler skipped the read. */
int native_touch(const volatile uint8_t *p);
extern const char native_touch_read[], native_touch_resume[];
asm(".text\n"
    ".type native_touch, @function\n"
    "native_touch:\n"
    "	xor %eax, %eax\n"
    "native_touch_read:\n"
    "	movb (%rdi), %cl\n"
    "native_touch_resume:\n"
    "	ret\n"
    ".size native_touch, . - native_touch\n");

static struct sigaction previous;

/* Only native_touch's read is ours to skip; any other SIGSEGV is a bug, and gets the
 * action that was there before (by default: the process dies with the signal). */
static void on_segv(int sig, siginfo_t *info, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *rip = &uc->uc_mcontext.gregs[REG_RIP];

	(void)info;
	if (*rip == (greg_t)(uintptr_t)native_touch_read) {
		*rip = (greg_t)(uintptr_t)native_touch_resume;
		uc->uc_mcontext.gregs[REG_RAX] = VECTOR_PF;
		return;
	}
	sigaction(sig, &previous, NULL);
}

struct native_page {
	struct bench_page pub;
	bool read_only;
};
/* The cases use one page at a time. */
static struct native_page page;

static void protect(struct bench_page *pg, int prot)
{
	mprotect((void *)pg->va, PAGE, prot);
}

static void remap(struct bench_page *pg)
{
	struct native_page *np = (struct native_page *)pg;

	np->read_only = !np->read_only;
	protect(pg, np->read_only ? PROT_READ : PROT_READ | PROT_WRITE);
}

static void map(struct bench_page *pg)
{
	protect(pg, PROT_READ | PROT_WRITE);
}

static void unmap(struct bench_page *pg)
{
	protect(pg, PROT_NONE);
}

static int fault(struct bench_page *pg)
{
	return native_touch(pg->va);
}

static int spaces_new(struct bench_page *pg, const char **why)
{
	(void)pg;
	*why = "a process cannot load CR3: only a switch to another process does, at far "
	       "greater cost";
	return -1;
}

static const struct bench_paging ops;

static struct bench_page *page_new(const char **why)
{
	struct sigaction sa;
	void *va = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (va == MAP_FAILED) {
		*why = "mmap of one page failed";
		return NULL;
	}
	memset(va, 1, PAGE); /* populated: the events change a PTE that exists */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &previous)) {
		munmap(va, PAGE);
		*why = "cannot install a SIGSEGV handler";
		return NULL;
	}
	page = (struct native_page){ .pub = { .va = va, .ops = &ops } };
	return &page.pub;
}

static void page_free(struct bench_page *pg)
{
	sigaction(SIGSEGV, &previous, NULL);
	munmap((void *)pg->va, PAGE);
}

static const struct bench_paging ops = {
	.page_new = page_new, .page_free = page_free, .remap = remap, .unmap = unmap,
	.map = map, .fault = fault, .spaces_new = spaces_new, .via_pte = "mprotect",
	.via_fault = "sigsegv", .via_space = "none",
};

const struct bench_paging *native_paging(void)
{
	return &ops;
}
