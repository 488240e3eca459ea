/* exception.h - exception frames, fixups and the crash dump.
 *
 * An unexpected exception prints vector, error code, RIP, CR2, every register and a
 * frame-pointer backtrace, then ends the run with EXIT_EXCEPTION: a kernel that
 * faults must fail the test that booted it, loudly and with a location.
 *
 * An expected one is declared at the instruction: EXTABLE(insn, fixup) records the
 * pair in section .extable, and when insn faults the handler records the vector and
 * resumes at fixup. exc_arm() / exc_vector() bracket such an instruction (see the
 * *_safe wrappers in cpu.h). */
#ifndef NB_EXCEPTION_H
#define NB_EXCEPTION_H

#include <stdbool.h>
#include <stdint.h>

#define EXTABLE(insn, fixup) \
	".pushsection .extable, \"a\"\n.balign 8\n.quad " #insn ", " #fixup "\n.popsection\n"

enum {
	EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4, EXC_BR = 5,
	EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10, EXC_NP = 11, EXC_SS = 12,
	EXC_GP = 13, EXC_PF = 14, EXC_MF = 16, EXC_AC = 17, EXC_MC = 18, EXC_XM = 19,
	EXC_VE = 20, EXC_CP = 21,
	EXC_COUNT = 32,
};

/* Layout pushed by isr.S: general registers, then vector and error code (0 when the
 * CPU pushes none), then the hardware frame. */
struct exc_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* What the last fixed-up exception was. Volatile: written by the handler behind the
 * compiler's back. */
struct exc_caught {
	int vector;          /* 0: none since exc_arm() (no guarded instruction raises #DE) */
	uint64_t error_code;
	uint64_t rip;
	uint64_t cr2;
};
extern volatile struct exc_caught exc_caught;

/* exc_vector(): the vector fixed up since exc_arm(), or 0 when the guarded
 * instruction completed. */
static inline void exc_arm(void) { exc_caught.vector = 0; }
static inline int exc_vector(void) { return exc_caught.vector; }

/* A handler for one vector; returns true if it dealt with the exception (it may edit
 * the frame, e.g. advance RIP), false to fall through to the crash dump. */
typedef bool (*exc_handler_fn)(struct exc_frame *f);
void exc_set_handler(int vector, exc_handler_fn fn);

const char *exc_name(int vector);

/* Called from isr.S with interrupts off. */
void exception_dispatch(struct exc_frame *f);

#endif
