/* wants12.c - whether L1 asked for an exit of L2; see wants12.h. */
#include "nested/wants12.h"
#include "cr.h"
#include "exception.h"
#include "vmx.h"

#define MSR_LOW_END 0x2000u
#define MSR_HIGH_BASE 0xc0000000u
#define CR3_TARGETS_MAX 4u   /* CR3_TARGET_VALUE0-3: the fields the list has */

/* The exit qualification of a control-register access (Table 27-3). */
#define CRQ_NUMBER(q) ((unsigned)(q) & 15)
#define CRQ_TYPE(q) ((unsigned)((q) >> 4) & 3)
#define CRQ_LMSW_SRC(q) (((q) >> 16) & 0xffff)
enum { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

bool wants12_io(const struct vmcs12 *r, uint64_t qual, bitmap12_fn bit, void *ctx)
{
	uint32_t proc = (uint32_t)F12(r, CPU_BASED_VM_EXEC_CONTROL);
	unsigned port = (unsigned)(qual >> 16) & 0xffff, size = (unsigned)(qual & 7) + 1;

	if (!(proc & CPU_BASED_USE_IO_BITMAPS))
		return proc & CPU_BASED_UNCOND_IO_EXITING;
	for (unsigned p = port; p < port + size; p++) {
		if (p > 0xffff)
			return true;
		uint64_t map = p < 0x8000 ? F12(r, IO_BITMAP_A) : F12(r, IO_BITMAP_B);
		if (bit(ctx, map, p & 0x7fff))
			return true;
	}
	return false;
}

bool wants12_msr(const struct vmcs12 *r, uint32_t msr, bool write, bitmap12_fn bit, void *ctx)
{
	uint32_t proc = (uint32_t)F12(r, CPU_BASED_VM_EXEC_CONTROL);
	/* Read bitmaps for low and high MSRs at bytes 0 and 1024, write at 2048, 3072. */
	unsigned base = write ? 2048 * 8 : 0;

	if (!(proc & CPU_BASED_USE_MSR_BITMAPS))
		return true;
	if (msr < MSR_LOW_END)
		return bit(ctx, F12(r, MSR_BITMAP), base + msr);
	if (msr - MSR_HIGH_BASE < MSR_LOW_END)
		return bit(ctx, F12(r, MSR_BITMAP), base + 1024 * 8 + (msr - MSR_HIGH_BASE));
	return true;
}

/* MOV to CR3 exits unless the value is one of the first CR3-target-count targets. */
static bool cr3_load(const struct vmcs12 *r, uint32_t proc, uint64_t val)
{
	uint32_t n = (uint32_t)F12(r, CR3_TARGET_COUNT);

	if (!(proc & CPU_BASED_CR3_LOAD_EXITING))
		return false;
	for (uint32_t i = 0; i < n && i < CR3_TARGETS_MAX; i++)
		if (r->field[VMCS_POS_CR3_TARGET_VALUE0 + i] == val)
			return false;
	return true;
}

bool wants12_cr(const struct vmcs12 *r, uint64_t qual, uint64_t src)
{
	uint32_t proc = (uint32_t)F12(r, CPU_BASED_VM_EXEC_CONTROL);
	unsigned cr = CRQ_NUMBER(qual);
	bool cr4 = cr == 4;
	uint64_t mask = cr4 ? F12(r, CR4_GUEST_HOST_MASK) : F12(r, CR0_GUEST_HOST_MASK);
	uint64_t shadow = cr4 ? F12(r, CR4_READ_SHADOW) : F12(r, CR0_READ_SHADOW);
	uint64_t lmsw = CRQ_LMSW_SRC(qual);

	switch (CRQ_TYPE(qual)) {
	case CR_MOV_TO:
		if (cr == 3)
			return cr3_load(r, proc, src);
		if (cr == 8)
			return proc & CPU_BASED_CR8_LOAD_EXITING;
		/* A bit L1 owns written with a value other than its read shadow's. */
		return (src ^ shadow) & mask;
	case CR_MOV_FROM:
		return proc & (cr == 3 ? CPU_BASED_CR3_STORE_EXITING : CPU_BASED_CR8_STORE_EXITING);
	case CR_CLTS:
		return mask & shadow & CR0_TS;
	default:
		/* LMSW: PE only when it would set it (LMSW cannot clear PE); MP, EM
		 * and TS whenever they differ from the shadow. */
		return ((mask & CR0_PE) && (lmsw & CR0_PE) && !(shadow & CR0_PE)) ||
		       ((lmsw ^ shadow) & mask & (CR0_MP | CR0_EM | CR0_TS));
	}
}

bool wants12_exception(const struct vmcs12 *r, uint32_t intr_info, uint32_t error_code)
{
	uint32_t vec = INTR_INFO_VECTOR(intr_info);

	if (INTR_INFO_TYPE(intr_info) == INTR_TYPE_NMI)
		return false;
	bool bit = F12(r, EXCEPTION_BITMAP) >> vec & 1;
	if (vec != EXC_PF)
		return bit;
	bool match = (error_code & F12(r, PAGE_FAULT_ERROR_CODE_MASK)) ==
		     (uint32_t)F12(r, PAGE_FAULT_ERROR_CODE_MATCH);
	return match ? bit : !bit;
}
