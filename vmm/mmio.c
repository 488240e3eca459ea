/* mmio.c - the MMIO test device (lib/hypercall.h) and the instruction decoding it
 * needs. An EPT violation says which guest-physical address was touched and whether
 * it was a read or a write, but not with which register, nor how long the
 * instruction was (VM_EXIT_INSTRUCTION_LEN is undefined for EPT violations, SDM
 * 27.2.5). So fetch the instruction through the guest's page tables and decode the
 * forms a device driver uses: MOV r/m,r (89), MOV r,r/m (8B), MOV r/m,imm (C7) and
 * their byte forms (88, 8A, C6), and MOVZX (0F B6, 0F B7), with 66/REX prefixes. Anything else stops the guest with a report. */
#include "exit.h"
#include "exits.h"
#include "gva.h"
#include "hypercall.h"
#include "mmio.h"
#include "vmcs.h"

#define MAX_INSN 15
#define CS_AR_L (1u << 13) /* 64-bit code segment */

static uint64_t scratch;

struct mov {
	unsigned len, size, reg;
	bool store;          /* to memory */
	bool imm;            /* the stored value is the immediate, not a register */
	bool zext;           /* MOVZX: the load zero-extends into the whole register */
	uint64_t value;      /* that immediate, sign-extended as the CPU does */
};

/* Decodes prefixes, opcode and ModRM, and measures SIB and displacement; the
 * effective address itself is not needed, the exit already gave it. */
static int decode(const uint8_t *b, bool long_mode, struct mov *m)
{
	unsigned i = 0, rex = 0;
	bool opsize = false;

	for (; i < MAX_INSN - 2; i++) {
		if (b[i] == 0x66)
			opsize = true;
		else if (long_mode && (b[i] & 0xf0) == 0x40)
			rex = b[i];
		else
			break;
	}
	uint8_t op = b[i++];
	m->zext = false;
	if (op == 0x0f) {
		/* MOVZX r32/r64, r/m8 or r/m16; a 16-bit destination (66) is not worth it. */
		op = b[i++];
		if ((op != 0xb6 && op != 0xb7) || opsize)
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
		m->size = (op & 1) ? ((rex & 8) ? 8 : opsize ? 2 : 4) : 1;
	m->reg = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
	if (m->size == 1 && !rex && m->reg >= 4 && !imm && !m->zext)
		return -1; /* AH, CH, DH, BH: not worth the special case */
	if (rm == 4)
		i++; /* SIB; base 5 with mod 0 means disp32 */
	bool sib_disp32 = rm == 4 && mod == 0 && (b[i - 1] & 7) == 5;
	if (mod == 1)
		i += 1;
	else if (mod == 2 || (mod == 0 && rm == 5) || sib_disp32)
		i += 4;
	if (imm) {
		/* imm8, imm16, or imm32 (sign-extended to 64 bits under REX.W). */
		unsigned n = m->size == 1 ? 1 : m->size == 2 ? 2 : 4;
		uint64_t v = 0;
		for (unsigned k = 0; k < n; k++)
			v |= (uint64_t)b[i + k] << (8 * k);
		if (m->size == 8 && (v & 0x80000000u))
			v |= 0xffffffff00000000ULL;
		m->value = v;
		i += n;
	}
	if (i > MAX_INSN)
		return -1;
	m->len = i;
	return 0;
}

static uint64_t device_read(uint64_t off)
{
	if (off < 8)
		return HV_MMIO_ID >> (8 * off);
	if (off < 16)
		return scratch >> (8 * (off - 8));
	return 0;
}

static void device_write(uint64_t off, unsigned size, uint64_t val)
{
	if (off < HV_MMIO_SCRATCH || off + size > HV_MMIO_SCRATCH + 8)
		return;
	unsigned shift = 8 * (unsigned)(off - HV_MMIO_SCRATCH);
	uint64_t mask = (size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1) << shift;
	scratch = (scratch & ~mask) | ((val << shift) & mask);
}

enum exit_action mmio_emulate(struct vcpu *v, uint64_t gpa, bool write)
{
	uint8_t insn[MAX_INSN];
	uint64_t rip = vmcs_readnat(GUEST_RIP);
	bool long_mode = vmcs_read32(GUEST_CS_AR_BYTES) & CS_AR_L;
	uint64_t gla = long_mode ? rip : vmcs_readnat(GUEST_CS_BASE) + rip;
	struct mov m = { 0 };

	if (gva_read(v, gla, insn, sizeof(insn)) || decode(insn, long_mode, &m) ||
	    m.store != write)
		return vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "cannot emulate the %s of MMIO test page %#lx: instruction "
				 "%02x %02x %02x %02x is not a plain MOV", write ? "write" : "read",
				 gpa, insn[0], insn[1], insn[2], insn[3]);
	uint64_t off = gpa - HV_MMIO_TEST_GPA, *reg;
	if (m.reg == GPR_RSP && !m.imm)
		return vcpu_stop(v, EXIT_GUEST_STOPPED, "MMIO access through RSP is not emulated");
	reg = &v->regs.gpr[m.reg];
	uint64_t mask = m.size == 8 ? ~0ULL : (1ULL << (8 * m.size)) - 1;
	if (write) {
		device_write(off, m.size, (m.imm ? m.value : *reg) & mask);
	} else {
		uint64_t val = device_read(off) & mask;
		/* A 32-bit load zero-extends; 8- and 16-bit loads keep the upper bits. */
		*reg = (m.size >= 4 || m.zext) ? val : (*reg & ~mask) | val;
	}
	vcpu_skip(m.len);
	return HV_RESUME;
}
