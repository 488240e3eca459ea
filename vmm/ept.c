/* ept.c - EPT construction on top of lib/pt.c. */
#include <stddef.h>
#include "ept.h"
#include "vmx.h"

int ept_init(struct ept *e, int levels, bool ad, uint64_t (*alloc_table)(void *),
	     uint64_t *(*table_ptr)(void *, uint64_t), void *ctx)
{
	e->ad = ad;
	return pt_init(&e->pt, &pt_format_ept, levels, alloc_table, table_ptr, ctx);
}

int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t len, enum pt_page page)
{
	/* Write-back, and IPAT clear so the guest's own PAT still applies, as on bare metal. */
	return pt_map(&e->pt, gpa, hpa, len, page,
		      VMX_EPT_RWX | (MEMTYPE_WB << VMX_EPT_MT_SHIFT));
}

uint64_t ept_pointer(const struct ept *e)
{
	return e->pt.root | VMX_EPTP_MT_WB |
	       ((uint64_t)(e->pt.levels - 1) << VMX_EPTP_PWL_SHIFT) |
	       (e->ad ? VMX_EPTP_AD_ENABLE : 0);
}
