/* bits.h - BIT_ULL(n), the one way the architecture headers spell a bit, so that
 * each of them serves C and assembly (.S files, compiled with -D__ASSEMBLY__) alike:
 * the assembler knows no ULL suffix and computes in 64 bits anyway. */
#ifndef NB_BITS_H
#define NB_BITS_H

#ifdef __ASSEMBLY__
#define BIT_ULL(n) (1 << (n))
#else
#define BIT_ULL(n) (1ULL << (n))
#endif

#endif
