/* operand.h - the operand of a VMX instruction that exited, from the VM-exit
 * instruction-information field and the exit qualification (SDM 27.2.5, the
 * tables for VMCLEAR/VMPTRLD/VMPTRST/VMXON, VMREAD/VMWRITE and INVEPT/INVVPID).
 * Pure: host-tested (tests/unit/test_vmx_operand.c). */
#ifndef NB_OPERAND_H
#define NB_OPERAND_H

#include <stdbool.h>
#include <stdint.h>

enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };

struct vmx_operand {
	bool is_reg;        /* a register operand (possible for VMREAD/VMWRITE only) */
	unsigned reg;       /* that register (bits 6:3), SDM numbering: 0 RAX ... 15 R15 */
	unsigned reg2;      /* bits 31:28: VMREAD/VMWRITE's field encoding, INVEPT's type */
	unsigned seg;       /* SEG_*: the memory operand's segment (bits 17:15) */
	unsigned addr_bytes;/* address size, 2, 4 or 8 (bits 9:7) */
	uint64_t offset;    /* the effective address, base + index * scale + displacement,
			     * wrapped to the address size */
};

/* Decodes info (VMX_INSTRUCTION_INFO) with disp, the exit qualification (the
 * displacement, sign-extended to 64 bits), and gpr, the guest's 16 registers with
 * RSP in its place. reg_form: the instruction may take a register operand (bit 10
 * is defined: VMREAD and VMWRITE). Returns 0, or -1 for an encoding the SDM does
 * not define (address size 3, segment 6 or 7). */
int vmx_operand_decode(uint32_t info, uint64_t disp, const uint64_t gpr[16], bool reg_form,
		       struct vmx_operand *op);

/* The segment view of an access of size bytes at op's offset. */
struct vmx_segment {
	uint64_t base;
	uint32_t limit;
	bool long_mode;     /* 64-bit mode: bases count for FS and GS only, no limits */
	unsigned va_bits;   /* 48, or 57 with 5-level paging: the canonical width */
};

/* Whether a is canonical for linear addresses of bits bits (48 or 57): bits 63
 * down to bits-1 all equal. */
bool vmx_canonical(uint64_t a, unsigned bits);

/* Computes the linear address into *gla. Returns 0, or the vector of the fault the
 * access raises: #GP, or #SS for the SS segment, when a 64-bit address is not
 * canonical or, outside 64-bit mode, the access passes the segment's limit (an
 * expand-up segment is assumed). */
int vmx_operand_linear(const struct vmx_operand *op, const struct vmx_segment *s,
		       unsigned size, uint64_t *gla);

#endif
