/* cmdline.h - the multiboot command line as key=value words.
 *
 * Loaders differ in what they put first: GRUB and QEMU pass "<image path> args...",
 * our hypervisor does the same. So a first word without '=' is the image name and is
 * skipped; any later word without '=' is an error, because a researcher who typed
 * "ept 2m" meant "ept=2m". Values contain no spaces (words are separated by runs of
 * spaces or tabs). Host-testable: no I/O, no allocation. */
#ifndef NB_CMDLINE_H
#define NB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies the value of the last "key=value" word into buf (NUL-terminated).
 * Returns the value's length, or -1 if the key is absent or the value does not fit. */
int cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* True when "key=value" is present (value may be empty). */
bool cmdline_has(const char *cmdline, const char *key);

/* Parses an unsigned number: decimal, 0x hex, with an optional k/m/g suffix
 * (binary multiples). Returns 0 on success, -1 if absent, -2 if malformed. */
int cmdline_get_u64(const char *cmdline, const char *key, uint64_t *out);

/* Looks the value up in choices[0..n) and stores its index.
 * Returns 0 on success, -1 if absent, -2 if it is none of the choices. */
int cmdline_get_choice(const char *cmdline, const char *key,
		       const char *const *choices, size_t n, int *index);

/* Checks every word against the allowed keys (NULL-terminated list).
 * Returns 0 if all are known; otherwise copies the first offending word into
 * bad (NUL-terminated, truncated to size) and returns -1. */
int cmdline_validate(const char *cmdline, const char *const *allowed,
		     char *bad, size_t size);

/* Parses a number in the same syntax as cmdline_get_u64. 0 on success, -2 if malformed. */
int parse_u64(const char *s, size_t len, uint64_t *out);

#endif
