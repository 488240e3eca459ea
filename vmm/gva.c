/* gva.c - guest-linear to guest-physical translation with the walker in lib/pt.c.
 * Every guest table address is checked against guest RAM; one outside it reads as an
 * all-zero table, i.e. "not present", so a hostile page table cannot make the
 * hypervisor read anything but guest RAM. */
#include "gva.h"
#include "cr.h"
#include "exits.h"
#include "frame.h"
#include "msr.h"
#include "pt.h"
#include "string.h"
#include "vmcs.h"

#define PTE_RW (1ULL << 1)

static const uint64_t zero_table[PT_ENTRIES] __attribute__((aligned(4096)));

static uint64_t *guest_table(void *ctx, uint64_t gpa)
{
	const struct vcpu *v = ctx;

	if (!gpa_in_ram(v, gpa, FRAME_SIZE))
		return (uint64_t *)zero_table; /* read-only use: the walker never writes */
	return gpa_ptr(v, gpa);
}

/* GVA_OK with *gpa, or why not (gva.h). A write needs the leaf's R/W bit when
 * CR0.WP is set (the hypervisor writes for the guest's kernel); the R/W bits of
 * the levels above are not checked. */
static int translate(const struct vcpu *v, uint64_t gla, bool write, uint64_t *gpa)
{
	uint64_t leaf, cr0 = guest_cr0();

	/* The guest's own CR0, CR3 and EFER: under paging=shadow the real ones are the
	 * shadow's. */
	if (!(cr0 & CR0_PG)) {
		*gpa = gla & 0xffffffffULL;
		return GVA_OK;
	}
	if (!(guest_efer() & EFER_LMA))
		return GVA_MODE;
	struct pt pt;
	pt_adopt(&pt, &pt_format_x86, (guest_cr4() & CR4_LA57) ? 5 : 4, guest_cr3(), NULL,
		 guest_table, (void *)v);
	if (pt_walk(&pt, gla, gpa, &leaf, NULL, NULL))
		return GVA_NOT_PRESENT;
	if (write && !(leaf & PTE_RW) && (cr0 & CR0_WP))
		return GVA_READ_ONLY;
	return GVA_OK;
}

/* The guest-physical pages of [gla, gla+len), at most two (len <= FRAME_SIZE). */
static int translate_range(const struct vcpu *v, uint64_t gla, size_t len, bool write,
			   uint64_t gpa[2], uint64_t *fault_gla)
{
	uint64_t first = FRAME_SIZE - (gla & (FRAME_SIZE - 1));
	uint64_t at[2] = { gla, gla + first };
	int n = len > first ? 2 : 1;

	for (int i = 0; i < n; i++) {
		int r = translate(v, at[i], write, &gpa[i]);
		if (r == GVA_OK && !gpa_in_ram(v, gpa[i] & ~(FRAME_SIZE - 1), FRAME_SIZE))
			r = GVA_NOT_RAM;
		if (r != GVA_OK) {
			*fault_gla = at[i];
			return r;
		}
	}
	return GVA_OK;
}

int gva_access(const struct vcpu *v, uint64_t gla, void *buf, size_t len, bool write,
	       uint64_t *fault_gla)
{
	uint64_t gpa[2], first = FRAME_SIZE - (gla & (FRAME_SIZE - 1));
	int r = translate_range(v, gla, len, write, gpa, fault_gla);

	if (r != GVA_OK)
		return r;
	if (first > len)
		first = len;
	uint8_t *b = buf;
	for (int i = 0; len; i++) {
		size_t n = i ? len : first;
		void *g = gpa_ptr(v, gpa[i]);
		if (write)
			memcpy(g, b, n);
		else
			memcpy(b, g, n);
		b += n;
		len -= n;
	}
	return GVA_OK;
}

int gva_read(const struct vcpu *v, uint64_t gla, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t gpa, chunk = FRAME_SIZE - (gla & (FRAME_SIZE - 1));
		if (chunk > len)
			chunk = len;
		if (translate(v, gla, false, &gpa) || !gpa_in_ram(v, gpa, chunk))
			return -1;
		memcpy(out, gpa_ptr(v, gpa), chunk);
		out += chunk;
		gla += chunk;
		len -= chunk;
	}
	return 0;
}
