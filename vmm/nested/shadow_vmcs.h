/* shadow_vmcs.h - VMCS shadowing for the guest hypervisor (SDM 24.10, 25.1.3, 30.3):
 * which fields of L1's current VMCS live in vmcs02 rather than in the vmcs12
 * region's slots, and the VMREAD/VMWRITE bitmaps that let L1 reach those fields
 * without a VM exit while vmcs02 is the shadow VMCS of vmcs01.
 * Pure: host-tested (tests/unit/test_shadow_vmcs.c). */
#ifndef NB_SHADOW_VMCS_H
#define NB_SHADOW_VMCS_H

#include <stdbool.h>
#include <stdint.h>
#include "vmcs_fields.h"

/* IA32_VMX_MISC[29]: VMWRITE may write any field, exit information too (A.6). */
#define VMX_MISC_VMWRITE_ANY_FIELD (1ULL << 29)

/* Whether a platform with these capability MSRs (IA32_VMX_PROCBASED_CTLS2, the
 * allowed-1 settings in bits 63:32, and IA32_VMX_MISC) can give L1 VMCS shadowing
 * as L0 does it: the "VMCS shadowing" control (bit 14) and VMWRITE to any field,
 * without which L0 could not write a synthetic exit's information into the shadow
 * VMCS. NULL, or what is missing. */
const char *shadow_unsupported(uint64_t procbased_ctls2, uint64_t misc);

/* A VMREAD or VMWRITE bitmap: 4 KiB, bit n for the encoding n (bits 14:0). */
#define VMCS_BITMAP_BYTES 4096u

/* What the platform offers that decides where a field can live. */
struct shadow_platform {
	bool vmwrite_any;  /* IA32_VMX_MISC[29]: L0 can VMWRITE exit information (synthetic exits) */
	bool perf_global;  /* the GUEST_IA32_PERF_GLOBAL_CTRL field exists (A.4/A.5) */
};

/* Whether the listed field enc (full access) with the list's flags lives in vmcs02:
 * a shadowed field (VF_SH) the platform has, and for exit information only where L0
 * can write it there itself. Every other field lives in the vmcs12 region's slot. */
bool shadow_in02(uint32_t enc, unsigned flags, const struct shadow_platform *p);

/* in02[pos] for each position of the field list. */
void shadow_fields(const struct shadow_platform *p, bool in02[VMCS_FIELD_COUNT]);

/* The two bitmaps for in02: a bit is clear where L1's access may be served from the
 * shadow VMCS (both accesses of a 64-bit field alike): VMREAD of a field in vmcs02,
 * VMWRITE of one that is not read-only too (L1 is not offered IA32_VMX_MISC[29], so
 * its VMWRITE of exit information must exit and fail). Every other bit is set: the
 * access exits and L0 emulates it (controls, host state, fields L1 may not use).
 * Encodings above 0x7fff have no bit: they always exit (25.1.3). */
void shadow_bitmaps(const bool in02[VMCS_FIELD_COUNT], uint8_t vmread[VMCS_BITMAP_BYTES],
		    uint8_t vmwrite[VMCS_BITMAP_BYTES]);

/* Whether the bitmap lets the access of enc through without a VM exit. */
bool shadow_bitmap_passes(const uint8_t bitmap[VMCS_BITMAP_BYTES], uint64_t enc);

#endif
