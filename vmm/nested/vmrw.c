/* vmrw.c - VMREAD and VMWRITE of a guest hypervisor (SDM 30.3) on its current VMCS,
 * whose fields live in its region or in vmcs02 (vmcs12.h): every access with
 * shadow=off, and with shadow=on those the VMREAD/VMWRITE bitmaps send here. A
 * field it may access is one the list marks VF_L1 (vmcs_fields.h); a read-only
 * field refuses VMWRITE because IA32_VMX_MISC[29] is not offered (caps12.c). */
#include <stddef.h>
#include "exits.h"
#include "nested/vmcs12.h"
#include "vmx.h"

/* Bits a field of this encoding's width keeps; a high access keeps 32. */
static uint64_t width_mask(uint32_t enc, bool long_mode)
{
	if (enc & VMCS_FIELD_HIGH)
		return 0xffffffffULL;
	switch (VMCS_FIELD_WIDTH(enc)) {
	case VMCS_WIDTH_16: return 0xffffULL;
	case VMCS_WIDTH_32: return 0xffffffffULL;
	case VMCS_WIDTH_64: return ~0ULL;
	default: return long_mode ? ~0ULL : 0xffffffffULL;
	}
}

/* The current VMCS and the field named by reg2, or the failure: NULL with *out set. */
static struct vmcs12 *field_of(struct vmx12_insn *in, uint32_t *enc, enum exit_action *out)
{
	struct vcpu *v = in->v;
	struct vmcs12 *cur = vmcs12_at(v, v->vmx12.current);
	uint64_t e = gpr_get(v, in->op.reg2);

	if (v->vmx12.current == VMCS12_NONE || !cur) {
		*out = vmx12_fail_invalid(in);
		return NULL;
	}
	if (!in->long_mode)
		e = (uint32_t)e;
	/* In 64-bit mode, bits 63:32 of the encoding must be 0 (30.3, VMREAD). */
	if (e >> 32 || !(vmcs_field_flags((uint32_t)e) & VF_L1)) {
		*out = vmx12_fail(in, VMXERR_UNSUPPORTED_VMCS_COMPONENT);
		return NULL;
	}
	*enc = (uint32_t)e;
	return cur;
}

enum exit_action vmx12_vmread(struct vmx12_insn *in)
{
	enum exit_action out;
	uint32_t enc;
	struct vmcs12 *cur = field_of(in, &enc, &out);

	if (!cur)
		return out;
	uint64_t val = vmcs12_read(in->v, cur, enc);
	if (enc & VMCS_FIELD_HIGH)
		val >>= 32;
	/* The destination is 64 bits wide in 64-bit mode, 32 outside. */
	if (!in->long_mode)
		val = (uint32_t)val;
	if (in->op.is_reg)
		gpr_set(in->v, in->op.reg, val);
	else if (vmx12_operand_io(in, &val, in->long_mode ? 8 : 4, true, &out))
		return out;
	return vmx12_succeed(in);
}

enum exit_action vmx12_vmwrite(struct vmx12_insn *in)
{
	enum exit_action out;
	uint32_t enc;
	struct vmcs12 *cur = field_of(in, &enc, &out);
	uint64_t val = 0;

	if (!cur)
		return out;
	if (vmcs_field_flags(enc) & VF_RO)
		return vmx12_fail(in, VMXERR_VMWRITE_READ_ONLY_COMPONENT);
	if (in->op.is_reg)
		val = gpr_get(in->v, in->op.reg);
	else if (vmx12_operand_io(in, &val, in->long_mode ? 8 : 4, false, &out))
		return out;
	val &= width_mask(enc, in->long_mode);
	if (enc & VMCS_FIELD_HIGH)
		val = (vmcs12_read(in->v, cur, enc) & 0xffffffffULL) | val << 32;
	vmcs12_write(in->v, cur, enc, val);
	/* A field that does not live in vmcs02 is one the next entry must check
	 * and merge again (a control, host state, an address). */
	if (!vmcs12_in02(vmcs_field_index(enc)))
		vmx12_dirty(in->v);
	return vmx12_succeed(in);
}
