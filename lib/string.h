/* string.h - the memory and string functions the kernels use (GCC may also emit
 * calls to memcpy/memset/memmove/memcmp on its own, even freestanding). */
#ifndef NB_STRING_H
#define NB_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/* Zeroes n 8-byte words at dst (8-byte aligned): one REP STOSQ. Under Bochs each
 * iteration of a string instruction is an instruction, so this costs an eighth of
 * memset's byte loop; for large clears (whole frames, benchmark buffers). */
static inline void zero_qwords(void *dst, size_t n)
{
	asm volatile("rep stosq" : "+D"(dst), "+c"(n) : "a"(0ULL) : "memory");
}

#endif
