/* cr.h - bits of the control registers, XCR0 and RFLAGS: the one definition of each,
 * for the runtime, the hypervisor, the guests (C and assembly) and the host tools. */
#ifndef NB_CR_H
#define NB_CR_H

#include "bits.h"

/* CR0 (SDM Vol. 3A, 2.5) */
#define CR0_PE      BIT_ULL(0)   /* protection enable */
#define CR0_MP      BIT_ULL(1)   /* monitor coprocessor */
#define CR0_EM      BIT_ULL(2)   /* x87 emulation */
#define CR0_TS      BIT_ULL(3)   /* task switched */
#define CR0_ET      BIT_ULL(4)   /* extension type: hard-wired to 1 since the i486 */
#define CR0_NE      BIT_ULL(5)   /* numeric error */
#define CR0_WP      BIT_ULL(16)  /* write protect */
#define CR0_NW      BIT_ULL(29)  /* not write-through */
#define CR0_CD      BIT_ULL(30)  /* cache disable */
#define CR0_PG      BIT_ULL(31)  /* paging */

/* CR4 (SDM Vol. 3A, 2.5) */
#define CR4_PSE     BIT_ULL(4)   /* page size extensions */
#define CR4_PAE     BIT_ULL(5)   /* physical address extension */
#define CR4_PGE     BIT_ULL(7)   /* page global enable */
#define CR4_LA57    BIT_ULL(12)  /* 57-bit linear addresses: 5-level paging */
#define CR4_VMXE    BIT_ULL(13)  /* VMX enable */
#define CR4_PCIDE   BIT_ULL(17)  /* process-context identifiers */
#define CR4_OSXSAVE BIT_ULL(18)  /* XSAVE and XSETBV enabled */
#define CR4_SMEP    BIT_ULL(20)  /* supervisor-mode execution prevention */
#define CR4_SMAP    BIT_ULL(21)  /* supervisor-mode access prevention */
#define CR4_PKE     BIT_ULL(22)  /* protection keys for user-mode pages */

/* XCR0, the XSAVE feature mask (SDM Vol. 1, 13.3) */
#define XCR0_X87    BIT_ULL(0)
#define XCR0_SSE    BIT_ULL(1)
#define XCR0_AVX    BIT_ULL(2)
#define XCR0_AVX512 (BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7)) /* opmask, ZMM_Hi256, Hi16_ZMM */

/* RFLAGS (SDM Vol. 1, 3.4.3; Vol. 3A, 2.3) */
#define RFLAGS_FIXED BIT_ULL(1)  /* reserved, always 1 */
#define RFLAGS_IF   BIT_ULL(9)   /* interrupt enable */
#define RFLAGS_VM   BIT_ULL(17)  /* virtual-8086 mode */
#define RFLAGS_AC   BIT_ULL(18)  /* alignment check / access control (SMAP) */

#endif
