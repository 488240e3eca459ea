/* test_mmio_decode.c - unit tests for the MMIO instruction decoder (vmm/mmio_decode.c):
 * the MOV forms it supports with their lengths, sizes, register operands and
 * immediates, in 32- and 64-bit code, the forms it must refuse, and instructions cut
 * short by the bytes available. Encodings are the assembler's (as would emit them). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmio_decode.h"

#define RAX 0
#define RCX 1
#define RDX 2
#define RBX 3
#define RSI 6
#define RDI 7
#define R8  8
#define R15 15

struct want {
	unsigned len, size, reg;
	bool store, imm, zext;
	uint64_t value;
};

static void expect(bool long_mode, struct want w, const uint8_t *b, size_t n)
{
	struct mmio_insn m;

	assert_int_equal(mmio_decode(b, n, long_mode, &m), 0);
	assert_int_equal(m.len, w.len);
	assert_int_equal(m.size, w.size);
	assert_int_equal(m.reg, w.reg);
	assert_int_equal(m.store, w.store);
	assert_int_equal(m.imm, w.imm);
	assert_int_equal(m.zext, w.zext);
	if (w.imm)
		assert_int_equal(m.value, w.value);
}

/* The instruction's bytes, and how many there are. */
#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define REFUSE(lm, ...) do { const uint8_t b_[] = { __VA_ARGS__ }; struct mmio_insn m_; \
	assert_int_equal(mmio_decode(b_, sizeof(b_), lm, &m_), -1); } while (0)

/* MOV r/m,r and MOV r,r/m in every operand size, with the addressing forms that
 * change the length: [reg], disp8, disp32, SIB, SIB without base, RIP-relative. */
static void test_mov_register(void **state)
{
	(void)state;
	/* mov %eax,(%rdi) */
	expect(true, (struct want){ .len = 2, .size = 4, .reg = RAX, .store = true }, BYTES(0x89, 0x07));
	/* mov (%rdi),%ecx */
	expect(true, (struct want){ .len = 2, .size = 4, .reg = RCX }, BYTES(0x8b, 0x0f));
	/* mov %rdx,0x8(%rdi) */
	expect(true, (struct want){ .len = 4, .size = 8, .reg = RDX, .store = true }, BYTES(0x48, 0x89, 0x57, 0x08));
	/* mov 0x12345678(%rsi),%r8 */
	expect(true, (struct want){ .len = 7, .size = 8, .reg = R8 }, BYTES(0x4c, 0x8b, 0x86, 0x78, 0x56, 0x34, 0x12));
	/* mov %bx,(%rax) */
	expect(true, (struct want){ .len = 3, .size = 2, .reg = RBX, .store = true }, BYTES(0x66, 0x89, 0x18));
	/* mov %cl,(%rax) ; mov (%rax),%dl */
	expect(true, (struct want){ .len = 2, .size = 1, .reg = RCX, .store = true }, BYTES(0x88, 0x08));
	expect(true, (struct want){ .len = 2, .size = 1, .reg = RDX }, BYTES(0x8a, 0x10));
	/* mov %sil,(%rax): REX makes reg 6 SIL, not DH */
	expect(true, (struct want){ .len = 3, .size = 1, .reg = RSI, .store = true }, BYTES(0x40, 0x88, 0x30));
	/* mov %r15d,(%rax,%rbx,4): SIB */
	expect(true, (struct want){ .len = 4, .size = 4, .reg = R15, .store = true }, BYTES(0x44, 0x89, 0x3c, 0x98));
	/* mov disp32(,%rbx,1),%eax: SIB with no base */
	expect(true, (struct want){ .len = 7, .size = 4, .reg = RAX }, BYTES(0x8b, 0x04, 0x1d, 0x08, 0x00, 0xb0, 0xfe));
	/* mov 0x10(%rip),%eax */
	expect(true, (struct want){ .len = 6, .size = 4, .reg = RAX }, BYTES(0x8b, 0x05, 0x10, 0x00, 0x00, 0x00));
	/* 32-bit code: mov 0xfeb00000,%eax (8B /0 with disp32: no RIP-relative form
	 * there) and mov %edi,-4(%ebp) */
	expect(false, (struct want){ .len = 6, .size = 4, .reg = RAX }, BYTES(0x8b, 0x05, 0x00, 0x00, 0xb0, 0xfe));
	expect(false, (struct want){ .len = 3, .size = 4, .reg = RDI, .store = true }, BYTES(0x89, 0x7d, 0xfc));
}

/* MOV r/m,imm: the immediate's size follows the operand's; under REX.W imm32 is
 * sign-extended. */
static void test_mov_immediate(void **state)
{
	(void)state;
	/* movb $0x5a,(%rdi) */
	expect(true, (struct want){ .len = 3, .size = 1, .store = true, .imm = true, .value = 0x5a },
	       BYTES(0xc6, 0x07, 0x5a));
	/* movw $0x1234,0x8(%rdi) */
	expect(true, (struct want){ .len = 6, .size = 2, .store = true, .imm = true, .value = 0x1234 },
	       BYTES(0x66, 0xc7, 0x47, 0x08, 0x34, 0x12));
	/* movl $0x89abcdef,(%rdi) */
	expect(true, (struct want){ .len = 6, .size = 4, .store = true, .imm = true, .value = 0x89abcdef },
	       BYTES(0xc7, 0x07, 0xef, 0xcd, 0xab, 0x89));
	/* movq $-2,(%rdi) and movq $0x7fffffff,(%rdi) */
	expect(true, (struct want){ .len = 7, .size = 8, .store = true, .imm = true,
		    .value = 0xfffffffffffffffeULL }, BYTES(0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff));
	expect(true, (struct want){ .len = 7, .size = 8, .store = true, .imm = true, .value = 0x7fffffff },
	       BYTES(0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0x7f));
	/* movl $1,0x10(%rax,%rcx,8): SIB, disp8, imm32 */
	expect(true, (struct want){ .len = 8, .size = 4, .store = true, .imm = true, .value = 1 },
	       BYTES(0xc7, 0x44, 0xc8, 0x10, 0x01, 0x00, 0x00, 0x00));
}

static void test_movzx(void **state)
{
	(void)state;
	/* movzbl (%rdi),%eax ; movzwl 0x2(%rdi),%ecx ; movzbq (%rdi),%r8 */
	expect(true, (struct want){ .len = 3, .size = 1, .reg = RAX, .zext = true }, BYTES(0x0f, 0xb6, 0x07));
	expect(true, (struct want){ .len = 4, .size = 2, .reg = RCX, .zext = true }, BYTES(0x0f, 0xb7, 0x4f, 0x02));
	expect(true, (struct want){ .len = 4, .size = 1, .reg = R8, .zext = true }, BYTES(0x4c, 0x0f, 0xb6, 0x07));
	/* movzbl (%rax),%esi: reg 6 is ESI here, the high-byte rule is for byte MOVs */
	expect(true, (struct want){ .len = 3, .size = 1, .reg = RSI, .zext = true }, BYTES(0x0f, 0xb6, 0x30));
}

static void test_refused(void **state)
{
	(void)state;
	REFUSE(true, 0x89, 0xc7);              /* mov %eax,%edi: no memory operand */
	REFUSE(true, 0xc7, 0x0f, 0, 0, 0, 0);  /* C7 /1 is no MOV */
	REFUSE(true, 0x88, 0x20);              /* mov %ah,(%rax) */
	REFUSE(true, 0x8a, 0x38);              /* mov (%rax),%bh */
	REFUSE(true, 0x66, 0x0f, 0xb6, 0x07);  /* movzbw: a 16-bit destination */
	REFUSE(true, 0x0f, 0xbe, 0x07);        /* movsbl */
	REFUSE(true, 0x01, 0x07);              /* add %eax,(%rdi) */
	REFUSE(true, 0xa1, 0, 0, 0xb0, 0xfe, 0, 0, 0, 0); /* mov moffs,%eax */
	REFUSE(true, 0x67, 0x8b, 0x07);        /* address-size prefix */
	REFUSE(true, 0xf3, 0xa4);              /* rep movsb */
	/* 0x48 is DEC EAX in 32-bit code, not REX.W */
	REFUSE(false, 0x48, 0x89, 0x07);
}

/* Too few bytes: an instruction whose ModRM, SIB, displacement or immediate lies
 * beyond what is available, or beyond 15 bytes, is refused, never read past. */
static void test_truncated(void **state)
{
	static const uint8_t movq_imm[] = { 0x48, 0xc7, 0x44, 0xc8, 0x10, 0xfe, 0xff, 0xff, 0xff };
	struct mmio_insn m;

	(void)state;
	for (size_t n = 0; n < sizeof(movq_imm); n++)
		assert_int_equal(mmio_decode(movq_imm, n, true, &m), -1);
	assert_int_equal(mmio_decode(movq_imm, sizeof(movq_imm), true, &m), 0);
	assert_int_equal(m.len, sizeof(movq_imm));

	/* Prefixes up to the end of readable memory: the decoder must stop at the end
	 * of what it was given (a read past it faults on the guard page here). */
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + page, (size_t)page, PROT_NONE), 0);
	uint8_t *b = p + page - MMIO_INSN_MAX;
	memset(b, 0x66, MMIO_INSN_MAX);
	assert_int_equal(mmio_decode(b, MMIO_INSN_MAX, true, &m), -1);
	/* 14 prefixes and an opcode: the ModRM would be byte 16 */
	b[MMIO_INSN_MAX - 1] = 0x89;
	assert_int_equal(mmio_decode(b, MMIO_INSN_MAX, true, &m), -1);
	/* 11 prefixes + mov %eax,0x12345678(%rdi) is 17 bytes: over the limit */
	memset(b, 0x66, MMIO_INSN_MAX);
	memcpy(b + 11, (uint8_t[]){ 0x89, 0x87, 0x78, 0x56 }, 4);
	assert_int_equal(mmio_decode(b, MMIO_INSN_MAX, true, &m), -1);
	/* 13 prefixes, C7 and a ModRM with disp32: the displacement and the immediate
	 * would lie beyond the page */
	memset(b, 0x66, MMIO_INSN_MAX);
	memcpy(b + 13, (uint8_t[]){ 0xc7, 0x87 }, 2);
	assert_int_equal(mmio_decode(b, MMIO_INSN_MAX, true, &m), -1);
	/* 9 prefixes + the same 6 bytes is exactly 15: accepted */
	memcpy(b + 9, (uint8_t[]){ 0x89, 0x87, 0x78, 0x56, 0x34, 0x12 }, 6);
	assert_int_equal(mmio_decode(b, MMIO_INSN_MAX, true, &m), 0);
	assert_int_equal(m.len, MMIO_INSN_MAX);
	assert_int_equal(m.size, 2);
	munmap(p, 2 * (size_t)page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_register),
		cmocka_unit_test(test_mov_immediate),
		cmocka_unit_test(test_movzx),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
