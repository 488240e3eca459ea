/* gva.h - reading guest memory by guest-linear address, through the guest's own page
 * tables, as the CPU would. */
#ifndef NB_GVA_H
#define NB_GVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hv.h"

/* Copies len bytes at guest-linear address gla into buf. Returns 0, or -1 when a page
 * is not mapped, lies outside guest RAM, or the guest's paging mode is one this walker
 * does not read (32-bit or PAE paging outside long mode). */
int gva_read(const struct vcpu *v, uint64_t gla, void *buf, size_t len);

/* Why an access could not be made. */
enum {
	GVA_OK = 0,
	GVA_NOT_PRESENT = -1,  /* a page of it is not mapped: #PF */
	GVA_READ_ONLY = -2,    /* a write to a read-only page with CR0.WP: #PF */
	GVA_NOT_RAM = -3,      /* a page of it is mapped outside guest RAM (MMIO) */
	GVA_MODE = -4,         /* 32-bit or PAE paging outside long mode: not walked */
};
/* Reads (write false) or writes len bytes, at most a page, at gla: all or nothing.
 * Returns GVA_OK, or why not with the linear address of the page at fault in
 * *fault_gla. */
int gva_access(const struct vcpu *v, uint64_t gla, void *buf, size_t len, bool write,
	       uint64_t *fault_gla);

#endif
