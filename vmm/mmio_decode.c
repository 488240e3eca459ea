/* mmio_decode.c - see mmio_decode.h. Encodings: SDM Vol. 2, 2.1 (format), 2.2.1
 * (REX), Table 2-2 (32/64-bit ModRM), and the MOV/MOVZX pages. */
#include "mmio_decode.h"

#define OPSIZE_PREFIX 0x66
#define REX_W 8
#define REX_R 4

/* Decodes prefixes, opcode and ModRM, and measures SIB, displacement and immediate.
 * Every byte is read only once i < n is known. */
int mmio_decode(const uint8_t *b, size_t n, bool long_mode, struct mmio_insn *m)
{
	size_t i = 0;
	unsigned rex = 0;
	bool opsize = false;

	if (n > MMIO_INSN_MAX)
		n = MMIO_INSN_MAX;
	for (; i < n; i++) {
		if (b[i] == OPSIZE_PREFIX)
			opsize = true;
		else if (long_mode && (b[i] & 0xf0) == 0x40)
			rex = b[i]; /* only the last REX before the opcode counts */
		else
			break;
	}
	if (i + 2 > n)
		return -1;
	uint8_t op = b[i++];
	*m = (struct mmio_insn){ 0 };
	if (op == 0x0f) {
		/* MOVZX r32/r64, r/m8 or r/m16; a 16-bit destination (66) is not worth it. */
		op = b[i++];
		if ((op != 0xb6 && op != 0xb7) || opsize || i >= n)
			return -1;
		m->zext = true;
	}
	uint8_t modrm = b[i++];
	unsigned mod = modrm >> 6, rm = modrm & 7;

	bool imm = !m->zext && (op == 0xc6 || op == 0xc7);
	if (!m->zext && op != 0x88 && op != 0x89 && op != 0x8a && op != 0x8b && !imm)
		return -1;
	if (mod == 3 || (imm && ((modrm >> 3) & 7)))
		return -1; /* a register operand cannot have touched memory; C6/C7 need /0 */
	m->store = !m->zext && (op == 0x88 || op == 0x89 || imm);
	m->imm = imm;
	if (m->zext)
		m->size = op == 0xb6 ? 1 : 2;
	else
		m->size = (op & 1) ? ((rex & REX_W) ? 8 : opsize ? 2 : 4) : 1;
	m->reg = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
	if (m->size == 1 && !rex && m->reg >= 4 && !imm && !m->zext)
		return -1; /* AH, CH, DH, BH: not worth the special case */
	bool sib_disp32 = false;
	if (rm == 4) {
		if (i >= n)
			return -1;
		sib_disp32 = mod == 0 && (b[i] & 7) == 5; /* SIB base 5 with mod 0: disp32 */
		i++;
	}
	if (mod == 1)
		i += 1;
	else if (mod == 2 || (mod == 0 && rm == 5) || sib_disp32)
		i += 4;
	if (imm) {
		/* imm8, imm16, or imm32 (sign-extended to 64 bits under REX.W). */
		unsigned k, len = m->size == 1 ? 1 : m->size == 2 ? 2 : 4;
		uint64_t v = 0;
		if (i + len > n)
			return -1;
		for (k = 0; k < len; k++)
			v |= (uint64_t)b[i + k] << (8 * k);
		if (m->size == 8 && (v & 0x80000000u))
			v |= 0xffffffff00000000ULL;
		m->value = v;
		i += len;
	}
	if (i > n)
		return -1;
	m->len = (unsigned)i;
	return 0;
}
