/* vmcs.h - width-checked VMCS accessors and VMX instruction wrappers.
 *
 * vmcs_read16/32/64/nat and vmcs_write* refuse, at compile time, a field whose
 * encoding says another width (bits 14:13, SDM Appendix B): a 32-bit write to a
 * natural-width field is a bug that real hardware forgives and Bochs may not.
 * Every access bumps a counter, because VMREADs and VMWRITEs per exit are what a
 * nested hypervisor pays for (each one traps to L0 without VMCS shadowing). */
#ifndef NB_VMCS_H
#define NB_VMCS_H

#include <stdbool.h>
#include <stdint.h>
#include "vmx.h"

/* A VMCS as the hypervisor keeps it: its region, and the two facts the entry path
 * needs that the CPU does not let software read back cheaply. The layout is
 * entry.S's too (trampoline.h). */
struct vmcs {
	uint64_t pa;        /* the 4 KiB region, VMCLEAR/VMPTRLD's operand */
	uint64_t host_rsp;  /* the HOST_RSP last written into it (0: none yet) */
	bool launched;      /* launch state (24.11.3): clear -> VMLAUNCH, launched -> VMRESUME */
};

/* Allocates a region with our revision identifier and VMCLEARs it: clear, not current. */
void vmcs_alloc(struct vmcs *vmcs);
/* VMCLEAR: writes the VMCS back to its region and makes it clear (and not current). */
void vmcs_clear(struct vmcs *vmcs);
/* VMPTRLD: makes it current. Both panic if the CPU refuses. */
void vmcs_load(struct vmcs *vmcs);

extern uint64_t vmcs_reads, vmcs_writes;

__attribute__((noreturn)) void vmcs_write_failed(unsigned long field, uint64_t value);

static inline uint64_t vmcs_read_raw(unsigned long field)
{
	uint64_t v;

	vmcs_reads++;
	asm volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
	return v;
}

static inline void vmcs_write_raw(unsigned long field, uint64_t value)
{
	vmcs_writes++;
	asm goto("vmwrite %1, %0\n\tjbe %l[fail]" : : "r"(field), "r"(value) : "cc" : fail);
	return;
fail:
	vmcs_write_failed(field, value);
}

#define VMCS_CHECK(f, w) \
	_Static_assert(VMCS_FIELD_WIDTH(f) == (w), #f " has another width")

#define vmcs_read16(f)  ({ VMCS_CHECK(f, VMCS_WIDTH_16); (uint16_t)vmcs_read_raw(f); })
#define vmcs_read32(f)  ({ VMCS_CHECK(f, VMCS_WIDTH_32); (uint32_t)vmcs_read_raw(f); })
#define vmcs_read64(f)  ({ VMCS_CHECK(f, VMCS_WIDTH_64); vmcs_read_raw(f); })
#define vmcs_readnat(f) ({ VMCS_CHECK(f, VMCS_WIDTH_NATURAL); vmcs_read_raw(f); })
#define vmcs_write16(f, v)  ({ VMCS_CHECK(f, VMCS_WIDTH_16); vmcs_write_raw(f, (uint16_t)(v)); })
#define vmcs_write32(f, v)  ({ VMCS_CHECK(f, VMCS_WIDTH_32); vmcs_write_raw(f, (uint32_t)(v)); })
#define vmcs_write64(f, v)  ({ VMCS_CHECK(f, VMCS_WIDTH_64); vmcs_write_raw(f, (uint64_t)(v)); })
#define vmcs_writenat(f, v) ({ VMCS_CHECK(f, VMCS_WIDTH_NATURAL); vmcs_write_raw(f, (uint64_t)(v)); })

/* The VMX instructions that take a memory operand. Each returns 0 on VMsucceed,
 * 1 on VMfailInvalid (CF), 2 on VMfailValid (ZF; the reason is in VM_INSTRUCTION_ERROR). */
#define VMX_INSN_MEM(name, insn)                                              \
	static inline int name(uint64_t pa)                                   \
	{                                                                     \
		uint8_t cf, zf;                                               \
		asm volatile(insn " %2; setc %0; setz %1"                     \
			     : "=r"(cf), "=r"(zf) : "m"(pa) : "cc", "memory");  \
		return cf ? 1 : zf ? 2 : 0;                                   \
	}
VMX_INSN_MEM(vmxon, "vmxon")
VMX_INSN_MEM(vmclear, "vmclear")
VMX_INSN_MEM(vmptrld, "vmptrld")
#undef VMX_INSN_MEM

static inline int invept(unsigned long type, uint64_t eptp)
{
	struct { uint64_t eptp, zero; } desc = { eptp, 0 };
	uint8_t bad;

	asm volatile("invept %1, %2; setbe %0" : "=r"(bad) : "m"(desc), "r"(type) : "cc", "memory");
	return bad;
}

static inline int invvpid(unsigned long type, uint16_t vpid, uint64_t gva)
{
	struct { uint64_t vpid, gva; } desc = { vpid, gva };
	uint8_t bad;

	asm volatile("invvpid %1, %2; setbe %0" : "=r"(bad) : "m"(desc), "r"(type) : "cc", "memory");
	return bad;
}

#endif
