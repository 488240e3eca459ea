/* smoke.c - exercises the runtime and prints one PASS/FAIL/SKIP line per check.
 *
 * Command line:
 *   echo=WORD     printed back as "cmdline: echo=WORD" (the runner's arguments arrive)
 *   status=N      exit with N when every check passed (tests status propagation)
 *   crash=1       raise an unexpected #UD after the checks (tests the crash dump)
 *   hang=1        spin forever after the checks (tests the runner's timeout)
 *   fail=1        add a check that fails on purpose (tests that failures are seen)
 * Exit status: 0 when all checks pass (or N), EXIT_FAIL when one fails. */
#include "cmdline.h"
#include "cpu.h"
#include "exit.h"
#include "kernel.h"
#include "printf.h"
#include "report.h"
#include "string.h"


static void check_cmdline(void)
{
	char word[64];

	if (cmdline_get(boot.cmdline, "echo", word, sizeof(word)) >= 0)
		printf("cmdline: echo=%s\n", word);
	report(1, "cmdline", "'%s'", boot.cmdline);
}

/* An exception the kernel expects must come back as a vector, not a crash. */
static void check_exceptions(void)
{
	int v = ud2_safe();
	report(v == EXC_UD, "exception-ud", "ud2 raised vector %d (want %d)", v, EXC_UD);

	/* 0x7ff000000000 is canonical and in a PML4 slot nothing maps. */
	volatile uint64_t *unmapped = (uint64_t *)0x7ff000000000ULL;
	uint64_t val;
	v = read64_safe(unmapped, &val);
	report(v == EXC_PF && exc_caught.cr2 == (uintptr_t)unmapped &&
		       exc_caught.error_code == 0,
	       "exception-pf", "read of %p raised vector %d, cr2 %p, error %#lx",
	       (void *)unmapped, v, (void *)exc_caught.cr2, exc_caught.error_code);
}

/* Maps fresh memory at an alias address with each page size, writes through one
 * address and reads through the other, both ways round; the walker must agree. */
#define ALIAS_BASE 0x8000000000ULL /* 512 GiB: PML4 slot 1, untouched by the boot tables */
#define PTE_P_RW 0x3ULL

static void check_page(enum pt_page size, const char *name)
{
	struct pt *pt = kernel_pt();
	uint64_t bytes = PT_PAGE_BYTES(size);
	uint64_t va = ALIAS_BASE + (uint64_t)(size - 1) * (1ULL << 30);
	uint64_t pa, frame, got_pa, leaf;
	int level, refs;

	/* 1 GiB: no 1 GiB of free RAM to spare, so alias the naturally aligned GiB
	 * that holds a fresh frame and test through that frame. */
	frame = frames_get(FRAME_SIZE, size == PT_1G ? FRAME_SIZE : bytes);
	pa = frame & ~(bytes - 1);
	int r = pt_map(pt, va, pa, bytes, size, PTE_P_RW);
	if (r) {
		report(0, name, "pt_map(%#lx -> %#lx) returned %d", va, pa, r);
		return;
	}
	uint64_t off = frame - pa + 0x88;
	volatile uint64_t *alias = (uint64_t *)(va + off);
	volatile uint64_t *ident = (uint64_t *)(pa + off);
	uint64_t pattern = 0x5a5a000000000000ULL | (va + off);

	*alias = pattern;
	uint64_t via_ident = *ident;
	*ident = ~pattern;
	uint64_t via_alias = *alias;
	r = pt_walk(pt, va + off, &got_pa, &leaf, &level, &refs);
	int ok = via_ident == pattern && via_alias == ~pattern && r == 0 &&
		 got_pa == pa + off && level == (int)size;
	report(ok, name,
	       "va %#lx -> pa %#lx: wrote %#lx read %#lx; wrote %#lx read %#lx; "
	       "walk pa %#lx level %d, %d refs, %d-level paging",
	       va + off, pa + off, pattern, via_ident, ~pattern, via_alias, got_pa, level,
	       refs, pt->levels);
	pt_unmap(pt, va);
	invlpg(va + off);
}

static void check_paging(void)
{
	check_page(PT_4K, "paging-4k");
	check_page(PT_2M, "paging-2m");
	/* 1 GiB pages: CPUID.80000001H:EDX.Page1GB[26]. */
	if (cpuid(0x80000001, 0).d & (1u << 26))
		check_page(PT_1G, "paging-1g");
	else
		report(REPORT_SKIP, "paging-1g", "CPU has no 1 GiB pages (CPUID.80000001H:EDX[26])");
}

static void check_frames(void)
{
	uint64_t before = frame_free_bytes(&frames);
	uint64_t a = frames_get(2 << 20, 2 << 20);
	int ok = a && !(a & ((2 << 20) - 1)) && frame_free_bytes(&frames) == before - (2 << 20);
	frame_free(&frames, a, 2 << 20);
	ok = ok && frame_free_bytes(&frames) == before;
	report(ok, "frames", "%lu MiB available, %lu MiB free; 2 MiB block at %#lx",
	       boot.mem_available >> 20, before >> 20, a);
}

int main(void)
{
	static const char *const keys[] = { "echo", "status", "crash", "hang", "fail", NULL };
	uint64_t status = 0, flag = 0;

	printf("nestbench smoke guest\n");
	boot_check_args(keys);
	report(1, "console", "COM1 output reaches the runner");
	check_cmdline();
	check_exceptions();
	check_paging();
	check_frames();
	if (cmdline_get_u64(boot.cmdline, "fail", &flag) == 0 && flag)
		report(0, "deliberate", "fail=1 asked for a failing check");
	printf("smoke: %u passed, %u failed, %u skipped\n", report_counts.passed, report_counts.failed, report_counts.skipped);

	if (cmdline_get_u64(boot.cmdline, "crash", &flag) == 0 && flag) {
		printf("crash=1: executing ud2 with no fixup\n");
		asm volatile("ud2");
	}
	if (cmdline_get_u64(boot.cmdline, "hang", &flag) == 0 && flag) {
		printf("hang=1: spinning forever\n");
		for (;;)
			pause();
	}
	if (report_counts.failed)
		return EXIT_FAIL;
	if (cmdline_get_u64(boot.cmdline, "status", &status) == -2 || status > 127) {
		printf("error: status= takes 0..127\n");
		return EXIT_BADARGS;
	}
	return (int)status;
}
