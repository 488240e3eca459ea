/* ept.h - the guest's EPT: guest-physical RAM mapped onto host memory the hypervisor
 * owns, nothing else (SDM Vol. 3C, 29.3). Built with the generic engine in lib/pt.c;
 * host-testable. */
#ifndef NB_EPT_H
#define NB_EPT_H

#include <stdbool.h>
#include <stdint.h>
#include "pt.h"

struct ept {
	struct pt pt;
	bool ad;            /* accessed/dirty flags enabled in the EPTP */
};

/* Allocates the root. levels is 4 or 5 (the EPT page-walk length). 0, or -1 on OOM. */
int ept_init(struct ept *e, int levels, bool ad, uint64_t (*alloc_table)(void *),
	     uint64_t *(*table_ptr)(void *, uint64_t), void *ctx);

/* Maps [gpa, gpa+len) -> [hpa, hpa+len) read/write/execute, write-back, with pages of
 * the given size. Returns pt_map's codes (0, -1 OOM, -2 bad alignment, -3 overlap). */
int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t len, enum pt_page page);

/* The EPTP value for the VMCS: root, WB paging-structure type, walk length, A/D. */
uint64_t ept_pointer(const struct ept *e);

#endif
