/* wants12.h - whether L1 asked for an exit of L2 (SDM 25.1-25.2), read from L1's
 * vmcs12 as the processor would read it had L1 run L2 itself: the controls, the
 * I/O and MSR bitmaps, the CR guest/host masks and read shadows, the exception
 * bitmap with the page-fault error-code mask and match. Pure: L1's bitmap pages
 * are read through a callback, so it is host-tested (tests/unit/test_wants12.c). */
#ifndef NB_WANTS12_H
#define NB_WANTS12_H

#include <stdbool.h>
#include <stdint.h>
#include "nested/vmcs12.h"

/* Reads bit `bit` of the bitmap page at L1-physical gpa. A page outside L1's RAM
 * should read as all ones: the exit then goes to L1 rather than being let through. */
typedef bool (*bitmap12_fn)(void *ctx, uint64_t gpa, unsigned bit);

/* An I/O instruction (25.1.3), from its exit qualification (Table 27-5: size - 1 in
 * bits 2:0, port in 31:16): the I/O bitmaps when used, else unconditional I/O
 * exiting. An access that wraps past port 0xffff exits. */
bool wants12_io(const struct vmcs12 *r, uint64_t qual, bitmap12_fn bit, void *ctx);

/* RDMSR (write false) or WRMSR of msr (25.1.3, 24.6.9): without MSR bitmaps every
 * one exits; with them, the bitmap bit for low (0-0x1fff) and high
 * (0xc0000000-0xc0001fff) MSRs; any other MSR exits. */
bool wants12_msr(const struct vmcs12 *r, uint32_t msr, bool write, bitmap12_fn bit, void *ctx);

/* A control-register access (25.1.3), from its exit qualification (Table 27-3) and,
 * for MOV to CR, the source register's value. */
bool wants12_cr(const struct vmcs12 *r, uint64_t qual, uint64_t src);

/* An exception or NMI exit (25.2), from the exit's interruption information and
 * error code: the exception bitmap, whose #PF bit counts as inverted when the error
 * code does not match (PFEC & mask != match). NMIs are never L1's here: L1 is not
 * offered a way to receive the platform's NMIs, which are L0's. */
bool wants12_exception(const struct vmcs12 *r, uint32_t intr_info, uint32_t error_code);

#endif
