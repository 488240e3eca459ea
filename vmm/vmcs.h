/* vmcs.h - the VMCS object, its accessors and the VMX instruction wrappers.
 *
 * Two families of accessors. vmcs_read16/32/64/nat and vmcs_write* take a field
 * known at compile time and refuse, at compile time, one whose encoding says
 * another width (bits 14:13, SDM Appendix B): a 32-bit write to a natural-width
 * field is a bug that real hardware forgives and Bochs may not. Their failure is
 * a bug in the hypervisor. A failed VMWRITE panics at once, naming the field and
 * the VM-instruction error (vmcs.c). A failed VMREAD costs no branch, because
 * reads are most of every exit's path (a branch each would lengthen the CPUID
 * round trip by 4 instructions and port I/O's by 13): the field is one of the
 * list, the VMCS is current (its exit is being handled), so only a field this CPU
 * does not support can fail, with VMfailValid, which leaves VM_INSTRUCTION_ERROR
 * set; vmcs_check_no_failure() reports it when the guest's run ends (run.c).
 * vmcs_read_enc and vmcs_write_enc take an encoding known only at run time (a
 * guest hypervisor's VMREAD or VMWRITE) and return the failure instead.
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
/* Reports a failed VMCLEAR (clear) or VMPTRLD of vmcs and panics (vmcs.c). */
__attribute__((noreturn, cold)) void vmcs_ptr_failed(const struct vmcs *vmcs, bool clear);

extern uint64_t vmcs_reads, vmcs_writes;

/* VMX instruction status (30.2): VMsucceed, VMfailInvalid (CF: no current VMCS),
 * VMfailValid (ZF: the reason is in VM_INSTRUCTION_ERROR). */
enum { VMX_OK = 0, VMX_FAIL_INVALID = 1, VMX_FAIL_VALID = 2 };
#define VMX_STATUS(cf, zf) ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : VMX_OK)

/* Reports a failed VMWRITE of the width-checked accessors and panics (vmcs.c). */
__attribute__((noreturn, cold)) void vmcs_write_failed(unsigned long field, uint64_t value);
/* 0 when no VMX instruction failed with VMfailValid on the current VMCS since it
 * was made; else prints the VM-instruction error and returns it (vmcs.c). */
uint32_t vmcs_check_no_failure(void);

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

/* A VMWRITE for a run of them on a path every nested exit takes (loading L1's host
 * state): no counter and no branch, for the reason VMREADs have none. The field is
 * one of the list, of its width (vmcs_put checks that at compile time), into the
 * current VMCS: only a field this CPU lacks could fail, and that leaves
 * VM_INSTRUCTION_ERROR set for vmcs_check_no_failure() at the end of the run. The
 * run adds its count to vmcs_writes once. */
static inline void vmcs_put_raw(unsigned long field, uint64_t value)
{
	asm volatile("vmwrite %1, %0" : : "r"(field), "r"(value) : "cc");
}

/* By run-time encoding: VMX_OK with the value in *val (zero-extended from the
 * field's width), or VMX_FAIL_INVALID / VMX_FAIL_VALID with *val untouched. */
static inline int vmcs_read_enc(uint32_t enc, uint64_t *val)
{
	uint64_t v;
	uint8_t cf, zf;

	vmcs_reads++;
	asm volatile("vmread %3, %0; setc %1; setz %2"
		     : "=r"(v), "=r"(cf), "=r"(zf) : "r"((uint64_t)enc) : "cc");
	if (cf | zf)
		return VMX_STATUS(cf, zf);
	*val = v;
	return VMX_OK;
}

/* VMX_OK, VMX_FAIL_INVALID or VMX_FAIL_VALID (a read-only or unsupported field:
 * VM_INSTRUCTION_ERROR says which). */
static inline int vmcs_write_enc(uint32_t enc, uint64_t val)
{
	uint8_t cf, zf;

	vmcs_writes++;
	asm volatile("vmwrite %2, %3; setc %0; setz %1"
		     : "=r"(cf), "=r"(zf) : "r"(val), "r"((uint64_t)enc) : "cc");
	return VMX_STATUS(cf, zf);
}

#define VMCS_CHECK(f, w) \
	_Static_assert(VMCS_FIELD_WIDTH(f) == (w), #f " has another width")

#define vmcs_read16(f)  ({ VMCS_CHECK(f, VMCS_WIDTH_16); (uint16_t)vmcs_read_raw(f); })
#define vmcs_read32(f)  ({ VMCS_CHECK(f, VMCS_WIDTH_32); (uint32_t)vmcs_read_raw(f); })
#define vmcs_read64(f)  ({ VMCS_CHECK(f, VMCS_WIDTH_64); vmcs_read_raw(f); })
#define vmcs_readnat(f) ({ VMCS_CHECK(f, VMCS_WIDTH_NAT); vmcs_read_raw(f); })
#define vmcs_write16(f, v)  ({ VMCS_CHECK(f, VMCS_WIDTH_16); vmcs_write_raw(f, (uint16_t)(v)); })
#define vmcs_write32(f, v)  ({ VMCS_CHECK(f, VMCS_WIDTH_32); vmcs_write_raw(f, (uint32_t)(v)); })
#define vmcs_write64(f, v)  ({ VMCS_CHECK(f, VMCS_WIDTH_64); vmcs_write_raw(f, (uint64_t)(v)); })
#define vmcs_writenat(f, v) ({ VMCS_CHECK(f, VMCS_WIDTH_NAT); vmcs_write_raw(f, (uint64_t)(v)); })
/* vmcs_put_raw of a value cut to the width the field's encoding says. */
#define vmcs_put(f, v)                                                          \
	vmcs_put_raw(f, VMCS_FIELD_WIDTH(f) == VMCS_WIDTH_16 ? (uint16_t)(v)     \
			: VMCS_FIELD_WIDTH(f) == VMCS_WIDTH_32 ? (uint32_t)(v)       \
			: (uint64_t)(v))

/* The VMX instructions that take a memory operand. Each returns VMX_OK,
 * VMX_FAIL_INVALID or VMX_FAIL_VALID. */
#define VMX_INSN_MEM(name, insn)                                              \
	static inline int name(uint64_t pa)                                   \
	{                                                                     \
		uint8_t cf, zf;                                               \
		asm volatile(insn " %2; setc %0; setz %1"                     \
			     : "=r"(cf), "=r"(zf) : "m"(pa) : "cc", "memory");  \
		return VMX_STATUS(cf, zf);                                    \
	}
VMX_INSN_MEM(vmxon, "vmxon")
VMX_INSN_MEM(vmclear, "vmclear")
VMX_INSN_MEM(vmptrld, "vmptrld")
#undef VMX_INSN_MEM

/* VMCLEAR: writes the VMCS back to its region and makes it clear (and not current).
 * VMPTRLD: makes it current. Both panic if the CPU refuses. Inline: a nested VM
 * entry and exit each switch VMCS. */
static inline void vmcs_clear(struct vmcs *vmcs)
{
	if (vmclear(vmcs->pa))
		vmcs_ptr_failed(vmcs, true);
	vmcs->launched = false;
}

static inline void vmcs_load(struct vmcs *vmcs)
{
	if (vmptrld(vmcs->pa))
		vmcs_ptr_failed(vmcs, false);
}

/* VMPTRST: the current-VMCS pointer, ~0 when there is none (30.3). */
static inline uint64_t vmptrst(void)
{
	uint64_t pa;

	asm volatile("vmptrst %0" : "=m"(pa) : : "memory");
	return pa;
}

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
