/* shadow_vmcs.c - where L1's VMCS fields live and the VMREAD/VMWRITE bitmaps; see
 * shadow_vmcs.h. */
#include "nested/shadow_vmcs.h"
#include "vmx.h"

#define ENC_ENTRY(name, enc, width, flags) enc,
static const uint32_t enc_by_pos[VMCS_FIELD_COUNT] = { VMCS_FIELDS(ENC_ENTRY) };
#undef ENC_ENTRY
#define FLAGS_ENTRY(name, enc, width, flags) flags,
static const unsigned flags_by_pos[VMCS_FIELD_COUNT] = { VMCS_FIELDS(FLAGS_ENTRY) };
#undef FLAGS_ENTRY

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
	for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++)
		in02[i] = shadow_in02(enc_by_pos[i], flags_by_pos[i], p);
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
	for (unsigned i = 0; i < VMCS_FIELD_COUNT; i++) {
		uint32_t enc = enc_by_pos[i];
		/* A 64-bit field has a second encoding, its high 32 bits (Appendix B). */
		unsigned accesses = VMCS_FIELD_WIDTH(enc) == VMCS_WIDTH_64 ? 2 : 1;
		if (!in02[i])
			continue;
		for (unsigned a = 0; a < accesses; a++) {
			clear_bit(vmread, enc | a);
			if (!(flags_by_pos[i] & VF_RO))
				clear_bit(vmwrite, enc | a);
		}
	}
}

bool shadow_bitmap_passes(const uint8_t bitmap[VMCS_BITMAP_BYTES], uint64_t enc)
{
	return enc <= 0x7fff && !(bitmap[enc / 8] >> (enc % 8) & 1);
}
