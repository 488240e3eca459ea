/* native_mem.h - memory for the native runner's cases (see native_mem.c). */
#ifndef NB_NATIVE_MEM_H
#define NB_NATIVE_MEM_H

#include <stdint.h>

/* size bytes of zeroed memory backed by pages of page bytes (4K, 2M or 1G), at the
 * same address in every run; NULL with *why saying what could not be had. */
void *native_alloc(uint64_t size, uint64_t page, const char **why);
/* Frees what native_alloc returned (size as asked; the rounded mapping goes). */
void native_free(void *p, uint64_t size);

#endif
