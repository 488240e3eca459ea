/* mmio_decode.h - decoding the MOV forms a device driver uses on MMIO, for the
 * emulated MMIO test page (mmio.c). Pure logic: host-tested (test_mmio_decode.c). */
#ifndef NB_MMIO_DECODE_H
#define NB_MMIO_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MMIO_INSN_MAX 15 /* the architectural limit on an instruction's length */

struct mmio_insn {
	unsigned len;        /* bytes, prefixes included */
	unsigned size;       /* operand size in bytes: 1, 2, 4 or 8 */
	unsigned reg;        /* register operand, 0-15 in GPR order (RAX, RCX, ...) */
	bool store;          /* to memory */
	bool imm;            /* the stored value is the immediate, not a register */
	bool zext;           /* MOVZX: the load zero-extends into the whole register */
	uint64_t value;      /* that immediate, sign-extended as the CPU does */
};

/* Decodes the instruction in b[0..n) (n bytes are readable): MOV r/m,r (89), MOV
 * r,r/m (8B), MOV r/m,imm (C7 /0) and their byte forms (88, 8A, C6), and MOVZX
 * (0F B6, 0F B7), with 66 and, in 64-bit mode, REX prefixes; a memory operand only.
 * 0, or -1 for anything else, including AH-BH and an instruction longer than n or
 * than 15 bytes. The effective address is not computed: the exit gives it. */
int mmio_decode(const uint8_t *b, size_t n, bool long_mode, struct mmio_insn *m);

#endif
