/* mmio.c - the MMIO test device (lib/hypercall.h). An EPT violation says which
 * guest-physical address was touched and whether it was a read or a write, but not
 * with which register, nor how long the instruction was (VM_EXIT_INSTRUCTION_LEN is
 * undefined for EPT violations, SDM 27.2.5). So fetch the instruction through the
 * guest's page tables and decode it (mmio_decode.c); anything but the MOV forms a
 * driver uses stops the guest with a report. */
#include "exit.h"
#include "exits.h"
#include "gva.h"
#include "hypercall.h"
#include "mmio.h"
#include "mmio_decode.h"
#include "vmcs.h"

#define CS_AR_L (1u << 13) /* 64-bit code segment */

static uint64_t scratch;

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
	uint8_t insn[MMIO_INSN_MAX];
	uint64_t rip = vmcs_readnat(GUEST_RIP);
	bool long_mode = vmcs_read32(GUEST_CS_AR_BYTES) & CS_AR_L;
	uint64_t gla = long_mode ? rip : vmcs_readnat(GUEST_CS_BASE) + rip;
	struct mmio_insn m;

	if (gva_read(v, gla, insn, sizeof(insn)) ||
	    mmio_decode(insn, sizeof(insn), long_mode, &m) ||
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
