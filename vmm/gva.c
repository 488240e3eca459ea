/* gva.c - guest-linear to guest-physical translation with the walker in lib/pt.c.
 * Every guest table address is checked against guest RAM; one outside it reads as an
 * all-zero table, i.e. "not present", so a hostile page table cannot make the
 * hypervisor read anything but guest RAM. */
#include "gva.h"
#include "cr.h"
#include "frame.h"
#include "msr.h"
#include "pt.h"
#include "string.h"
#include "vmcs.h"

static const uint64_t zero_table[PT_ENTRIES] __attribute__((aligned(4096)));

static uint64_t *guest_table(void *ctx, uint64_t gpa)
{
	const struct vcpu *v = ctx;

	if (!gpa_in_ram(v, gpa, FRAME_SIZE))
		return (uint64_t *)zero_table; /* read-only use: the walker never writes */
	return gpa_ptr(v, gpa);
}

static int translate(const struct vcpu *v, uint64_t gla, uint64_t *gpa)
{
	if (!(vmcs_readnat(GUEST_CR0) & CR0_PG)) {
		*gpa = gla & 0xffffffffULL;
		return 0;
	}
	if (!(vmcs_read64(GUEST_IA32_EFER) & EFER_LMA))
		return -1;
	struct pt pt;
	pt_adopt(&pt, &pt_format_x86, (vmcs_readnat(GUEST_CR4) & CR4_LA57) ? 5 : 4,
		 vmcs_readnat(GUEST_CR3), NULL, guest_table, (void *)v);
	return pt_walk(&pt, gla, gpa, NULL, NULL, NULL);
}

int gva_read(const struct vcpu *v, uint64_t gla, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t gpa, chunk = FRAME_SIZE - (gla & (FRAME_SIZE - 1));
		if (chunk > len)
			chunk = len;
		if (translate(v, gla, &gpa) || !gpa_in_ram(v, gpa, chunk))
			return -1;
		memcpy(out, gpa_ptr(v, gpa), chunk);
		out += chunk;
		gla += chunk;
		len -= chunk;
	}
	return 0;
}
