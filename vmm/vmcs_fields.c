/* vmcs_fields.c - the tables made from the field list in vmcs_fields.h, indexed by
 * run-time encoding, for the code that handles a VMREAD or VMWRITE it did not
 * write itself (a guest hypervisor's). Pure data: compiled for the host too and
 * unit-tested (tests/unit/test_vmcs_fields.c). */
#include <stddef.h>
#include "vmcs_fields.h"

/* An encoding is width (14:13), type (11:10), index (9:1), access type (0); bits
 * 12 and 15-31 are zero. A slot is width, type and index: 4 x 4 x 32 slots hold
 * every field the list names, whose indexes stay below 32. */
#define INDEX_BITS 5
#define SLOTS (16u << INDEX_BITS)
#define SLOT(enc) (((VMCS_FIELD_WIDTH(enc) << 2 | VMCS_FIELD_TYPE(enc)) << INDEX_BITS) | \
		   ((enc) >> 1 & ((1u << INDEX_BITS) - 1)))
#define ENC_RESERVED 0xffff9000u  /* bits 31:15 and 12 */
#define INDEX_FITS(enc) (((enc) >> 1 & 0x1ff) < (1u << INDEX_BITS))

#define WIDTH_OF_16  VMCS_WIDTH_16
#define WIDTH_OF_32  VMCS_WIDTH_32
#define WIDTH_OF_64  VMCS_WIDTH_64
#define WIDTH_OF_NAT VMCS_WIDTH_NAT

/* Every line of the list: its stated width is its encoding's, its index fits a slot,
 * it is a full access, and read-only is exactly the exit-information type. */
#define CHECK_ENTRY(name, enc, width, flags)                                           \
	_Static_assert(VMCS_FIELD_WIDTH(enc) == WIDTH_OF_##width, #name ": width");    \
	_Static_assert(!((enc) & ENC_RESERVED) && INDEX_FITS(enc), #name ": encoding"); \
	_Static_assert(!((enc) & VMCS_FIELD_HIGH), #name ": high access");             \
	_Static_assert((((flags) & VF_RO) != 0) == (VMCS_FIELD_TYPE(enc) == VMCS_TYPE_EXIT_INFO), \
		       #name ": read-only is exit information");
VMCS_FIELDS(CHECK_ENTRY)
#undef CHECK_ENTRY

/* A field listed twice is an initializer overridden: -Woverride-init stops the build. */
#define LISTED (1u << 7)
#define FLAGS_ENTRY(name, enc, width, flags) [SLOT(enc)] = LISTED | (flags),
static const unsigned char flags_by_slot[SLOTS] = { VMCS_FIELDS(FLAGS_ENTRY) };
#undef FLAGS_ENTRY
#define NAME_ENTRY(name, enc, width, flags) [SLOT(enc)] = #name,
static const char *const names_by_slot[SLOTS] = { VMCS_FIELDS(NAME_ENTRY) };
#undef NAME_ENTRY
/* Positions in the list, plus one (0: not listed). */
_Static_assert(VMCS_POS_END == VMCS_FIELD_COUNT, "vmcs_fields.h: VMCS_FIELD_COUNT");
#define INDEX_ENTRY(name, enc, width, flags) [SLOT(enc)] = VMCS_POS_##name + 1,
static const unsigned char index_by_slot[SLOTS] = { VMCS_FIELDS(INDEX_ENTRY) };
#undef INDEX_ENTRY

#define ENC_ENTRY(name, enc, width, flags) enc,
static const uint32_t enc_by_pos[VMCS_FIELD_COUNT] = { VMCS_FIELDS(ENC_ENTRY) };
#undef ENC_ENTRY

/* The slot of a full-access encoding, or of the 64-bit field a high access names;
 * SLOTS for anything else. */
static unsigned slot_of(uint32_t enc)
{
	if ((enc & ENC_RESERVED) || !INDEX_FITS(enc))
		return SLOTS;
	if ((enc & VMCS_FIELD_HIGH) && VMCS_FIELD_WIDTH(enc) != VMCS_WIDTH_64)
		return SLOTS;
	return SLOT(enc);
}

bool vmcs_field_listed(uint32_t enc)
{
	unsigned s = slot_of(enc);

	return s < SLOTS && (flags_by_slot[s] & LISTED);
}

unsigned vmcs_field_flags(uint32_t enc)
{
	unsigned s = slot_of(enc);

	return s < SLOTS ? flags_by_slot[s] & ~LISTED : 0;
}

const char *vmcs_field_name(uint32_t enc)
{
	unsigned s = slot_of(enc);

	return s < SLOTS ? names_by_slot[s] : NULL;
}

int vmcs_field_index(uint32_t enc)
{
	unsigned s = slot_of(enc);

	return s < SLOTS ? (int)index_by_slot[s] - 1 : -1;
}

uint32_t vmcs_field_encoding(int pos)
{
	return enc_by_pos[pos];
}
