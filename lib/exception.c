/* exception.c - fixups, per-vector handlers and the crash dump. */
#include "exception.h"
#include "cpu.h"
#include "exit.h"
#include "printf.h"

struct extable_entry { uint64_t insn, fixup; };
extern const struct extable_entry __extable_start[], __extable_end[];

volatile struct exc_caught exc_caught;
static exc_handler_fn handlers[EXC_COUNT];
static int depth;

static const char *const names[EXC_COUNT] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD exception", "#VE virtualization exception",
	"#CP control protection",
};

const char *exc_name(int vector)
{
	if (vector >= 0 && vector < EXC_COUNT && names[vector])
		return names[vector];
	return "reserved";
}

void exc_set_handler(int vector, exc_handler_fn fn)
{
	if (vector >= 0 && vector < EXC_COUNT)
		handlers[vector] = fn;
}

static bool fixup(struct exc_frame *f)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
		if (e->insn != f->rip)
			continue;
		exc_caught.error_code = f->error_code;
		exc_caught.rip = f->rip;
		exc_caught.cr2 = f->vector == EXC_PF ? read_cr2() : 0;
		exc_caught.vector = (int)f->vector;
		f->rip = e->fixup;
		return true;
	}
	return false;
}

/* Frame-pointer backtrace; each load is fault-safe because a corrupt RBP is a
 * likely reason we are here at all. */
static void backtrace(uint64_t rbp)
{
	printf("  backtrace:");
	for (int i = 0; i < 12 && rbp && !(rbp & 7); i++) {
		uint64_t next, ret;
		if (read64_safe((uint64_t *)rbp, &next) || read64_safe((uint64_t *)rbp + 1, &ret))
			break;
		printf(" %#lx", ret);
		rbp = next;
	}
	printf("\n");
}

static void dump(const struct exc_frame *f)
{
	printf("\nEXCEPTION %s (vector %lu), error code %#lx\n", exc_name((int)f->vector),
	       f->vector, f->error_code);
	printf("  rip %p  cs %#lx  rflags %#lx\n", (void *)f->rip, f->cs, f->rflags);
	printf("  rsp %p  ss %#lx  cr2 %p  cr3 %p\n", (void *)f->rsp, f->ss,
	       (void *)read_cr2(), (void *)read_cr3());
	printf("  rax %p  rbx %p  rcx %p  rdx %p\n", (void *)f->rax, (void *)f->rbx,
	       (void *)f->rcx, (void *)f->rdx);
	printf("  rsi %p  rdi %p  rbp %p  r8  %p\n", (void *)f->rsi, (void *)f->rdi,
	       (void *)f->rbp, (void *)f->r8);
	printf("  r9  %p  r10 %p  r11 %p  r12 %p\n", (void *)f->r9, (void *)f->r10,
	       (void *)f->r11, (void *)f->r12);
	printf("  r13 %p  r14 %p  r15 %p\n", (void *)f->r13, (void *)f->r14, (void *)f->r15);
	backtrace(f->rbp);
}

void exception_dispatch(struct exc_frame *f)
{
	/* Fixups first: they are how the dump itself reads memory safely. */
	if (fixup(f))
		return;
	if (f->vector < EXC_COUNT && handlers[f->vector] && handlers[f->vector](f))
		return;
	if (depth++) {
		/* Faulted while dumping: the console or stack is unusable; say the least. */
		printf("\nEXCEPTION vector %lu inside the exception handler\n", f->vector);
		exit(EXIT_EXCEPTION);
	}
	dump(f);
	exit(EXIT_EXCEPTION);
}
