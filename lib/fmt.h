/* fmt.h - printf-style formatting into a buffer, with no I/O and no libc.
 *
 * Shared by every freestanding kernel and compiled hosted for the unit tests,
 * so it must not depend on the console or on anything architecture-specific.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%
 * Flags: '-' (left-justify), '0' (zero pad), '+', ' ', '#' (0x prefix for %x)
 * Width and precision, each a number or '*'. Length: hh h l ll z t j.
 * %p prints 0x followed by 16 hex digits, so addresses line up in dumps.
 * Unknown conversions are copied through verbatim, so a typo is visible. */
#ifndef NB_FMT_H
#define NB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into buf (at most size bytes, always NUL-terminated when size > 0).
 * Returns the length the full output would have had, as C99 vsnprintf does,
 * so callers can detect truncation by comparing against size. */
int vsformat(char *buf, size_t size, const char *fmt, va_list ap);
int sformat(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Makes the n bytes at s fit in a record value taken from outside (a CPUID vendor
 * or hypervisor signature): every byte but a letter or a digit, NULs, spaces and
 * '=' included, becomes '_'. */
void fmt_word(char *s, size_t n);

#endif
