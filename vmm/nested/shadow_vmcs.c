/* shadow_vmcs.c - where L1's VMCS fields live and the VMREAD/VMWRITE bitmaps; see
 * shadow_vmcs.h. */
#include <stddef.h>
#include "nested/shadow_vmcs.h"
#include "vmx.h"


const char *shadow_unsupported(uint64_t procbased_ctls2, uint64_t misc)
{
	if (!(procbased_ctls2 >> 32 & SECONDARY_EXEC_SHADOW_VMCS))
		return "no VMCS shadowing (IA32_VMX_PROCBASED_CTLS2 bit 46)";
	if (!(misc & VMX_MISC_VMWRITE_ANY_FIELD))
		return "no VMWRITE to exit-information fields (IA32_VMX_MISC bit 29)";
	return NULL;
}

bool shadow_in02(uint32_t enc, unsigned flags, const struct shadow_platform *p)
{
	if (!(flags & VF_SH))
		return false;
	if ((flags & VF_RO) && !p->vmwrite_any)
		return false;
	return enc != GUEST_IA32_PERF_GLOBAL_CTRL || p->perf_global;
}

void shadow_fields(const struct shadow_platform *p, bool in02[VMCS_FIELD_COUNT])
{
	for (int i = 0; i < VMCS_FIELD_COUNT; i++) {
		uint32_t enc = vmcs_field_encoding(i);
		in02[i] = shadow_in02(enc, vmcs_field_flags(enc), p);
	}
}

static void clear_bit(uint8_t *bitmap, uint32_t enc)
{
	bitmap[enc / 8] &= (uint8_t)~(1u << (enc % 8));
}

void shadow_bitmaps(const bool in02[VMCS_FIELD_COUNT], uint8_t vmread[VMCS_BITMAP_BYTES],
		    uint8_t vmwrite[VMCS_BITMAP_BYTES])
{
	for (unsigned i = 0; i < VMCS_BITMAP_BYTES; i++)
		vmread[i] = vmwrite[i] = 0xff;
	for (int i = 0; i < VMCS_FIELD_COUNT; i++) {
		uint32_t enc = vmcs_field_encoding(i);
		/* A 64-bit field has a second encoding, its high 32 bits (Appendix B). */
		unsigned accesses = VMCS_FIELD_WIDTH(enc) == VMCS_WIDTH_64 ? 2 : 1;
		if (!in02[i])
			continue;
		for (unsigned a = 0; a < accesses; a++) {
			clear_bit(vmread, enc | a);
			if (!(vmcs_field_flags(enc) & VF_RO))
				clear_bit(vmwrite, enc | a);
		}
	}
}

bool shadow_bitmap_passes(const uint8_t bitmap[VMCS_BITMAP_BYTES], uint64_t enc)
{
	return enc <= 0x7fff && !(bitmap[enc / 8] >> (enc % 8) & 1);
}
