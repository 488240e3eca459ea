/* gva.h - reading guest memory by guest-linear address, through the guest's own page
 * tables, as the CPU would. */
#ifndef NB_GVA_H
#define NB_GVA_H

#include <stddef.h>
#include <stdint.h>
#include "hv.h"

/* Copies len bytes at guest-linear address gla into buf. Returns 0, or -1 when a page
 * is not mapped, lies outside guest RAM, or the guest's paging mode is one this walker
 * does not read (32-bit or PAE paging outside long mode). */
int gva_read(const struct vcpu *v, uint64_t gla, void *buf, size_t len);

#endif
