/* msr_bitmap.h - which guest RDMSR/WRMSR exit (msr.c fills the bitmap). */
#ifndef NB_MSR_BITMAP_H
#define NB_MSR_BITMAP_H

#include <stdint.h>

/* Builds the 4 KiB MSR bitmap (24.6.9) and returns its physical address. */
uint64_t msr_bitmap_build(void);

#endif
