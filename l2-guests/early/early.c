/* early.c - reports what entry.S saw before the runtime's boot code ran: the state
 * the loader handed over, and, with realmode=1, the CPU's answers in real mode.
 *
 * Command line: realmode=0|1 (default 0).
 * Output: "loader: ..." and, with realmode=1, "realmode: ..." - one line each of what
 * the guest saw, identical wherever the loader and CPU behave alike, so the tests
 * compare them across platforms - then one PASS/FAIL line per check and a summary.
 *   loader-gdt  the descriptors CS, DS and SS name are flat 32-bit code and data
 *   loader-cs   the #UD through an IDT gate naming the loader's CS was handled, on CS
 *   realmode    RDMSR of an absent MSR and WRMSR to the read-only IA32_VMX_BASIC each
 *               raised #GP at the instruction, with no error code; each CR0 value
 *               written read back unchanged
 * Exit status: 0 when every check passed, EXIT_FAIL when one failed. */
#include "cmdline.h"
#include "exit.h"
#include "kernel.h"
#include "printf.h"
#include "report.h"

/* Written by entry.S. */
extern struct { uint16_t limit; uint32_t base; } __attribute__((packed)) loader_gdtr;
extern uint16_t loader_cs, loader_ds, loader_ss, ud_cs;
extern uint64_t loader_cs_desc, loader_ds_desc, loader_ss_desc;
extern uint32_t ud_count, rm_cr0_wrote[3], rm_cr0_read[3];
extern uint8_t rm_ran;
extern uint16_t rm_gp_count, rm_gp_at_insn;

#define RM_GP_WANT 2     /* entry.S's RDMSR and WRMSR */
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Descriptor fields (SDM Vol. 3A, 3.4.5). */
#define DESC_BASE(d)  ((((d) >> 16) & 0xffffff) | (((d) >> 56) & 0xff) << 24)
#define DESC_LIMIT(d) (((d) & 0xffff) | (((d) >> 48) & 0xf) << 16)
#define DESC_TYPE(d)  (((d) >> 40) & 0xf)
#define DESC_S        (1ULL << 44)
#define DESC_DPL(d)   (((d) >> 45) & 3)
#define DESC_P        (1ULL << 47)
#define DESC_L        (1ULL << 53)
#define DESC_DB       (1ULL << 54)
#define DESC_G        (1ULL << 55)
#define TYPE_CODE     0x8
#define TYPE_RW       0x2 /* readable code, writable data */

/* Base 0, limit 4 GiB, 32-bit, present, DPL 0, code or data as asked, readable or
 * writable: the flat segment every multiboot kernel is promised. */
static bool flat32(uint64_t d, bool code)
{
	return DESC_BASE(d) == 0 && DESC_LIMIT(d) == 0xfffff && (d & DESC_G) &&
	       (d & DESC_DB) && !(d & DESC_L) && (d & DESC_S) && (d & DESC_P) &&
	       DESC_DPL(d) == 0 && !!(DESC_TYPE(d) & TYPE_CODE) == code &&
	       (DESC_TYPE(d) & TYPE_RW);
}

static void report_loader(void)
{
	printf("loader: cs=%#x ds=%#x ss=%#x gdt_limit=%#x\n", loader_cs, loader_ds,
	       loader_ss, loader_gdtr.limit);
	report(flat32(loader_cs_desc, true) && flat32(loader_ds_desc, false) &&
		       flat32(loader_ss_desc, false),
	       "loader-gdt", "GDTR %#x+%#x: CS %#x %016lx, DS %#x %016lx, SS %#x %016lx",
	       loader_gdtr.base, loader_gdtr.limit, loader_cs, loader_cs_desc, loader_ds,
	       loader_ds_desc, loader_ss, loader_ss_desc);
	report(ud_count == 1 && ud_cs == loader_cs, "loader-cs",
	       "#UD through a gate naming CS %#x: handled %u time(s), on CS %#x", loader_cs,
	       ud_count, ud_cs);
}

static void report_realmode(void)
{
	if (!rm_ran) {
		report(0, "realmode", "realmode=1 was given but the real-mode trip did not run");
		return;
	}
	bool cr0_ok = true;

	printf("realmode: gp=%u gp_at_insn=%u cr0", rm_gp_count, rm_gp_at_insn);
	for (unsigned i = 0; i < NELEMS(rm_cr0_read); i++) {
		printf(" %#x->%#x", rm_cr0_wrote[i], rm_cr0_read[i]);
		cr0_ok &= rm_cr0_read[i] == rm_cr0_wrote[i];
	}
	printf("\n");
	report(rm_gp_count == RM_GP_WANT && rm_gp_at_insn == RM_GP_WANT && cr0_ok, "realmode",
	       "#GP %u time(s), %u at the instruction (want %u); CR0 read back %s",
	       rm_gp_count, rm_gp_at_insn, RM_GP_WANT, cr0_ok ? "as written" : "changed");
}

int main(void)
{
	static const char *const keys[] = { "realmode", NULL };
	static const char *const onoff[] = { "0", "1" };
	int realmode = 0;

	boot_check_args(keys);
	if (cmdline_get_choice(boot.cmdline, "realmode", onoff, 2, &realmode) == -2) {
		printf("early: error: realmode= takes 0 or 1\n");
		return EXIT_BADARGS;
	}
	report_loader();
	if (realmode)
		report_realmode();
	printf("early: %u passed, %u failed, %u skipped\n", report_counts.passed,
	       report_counts.failed, report_counts.skipped);
	return report_counts.failed ? EXIT_FAIL : EXIT_OK;
}
