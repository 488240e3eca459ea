/* cmdline.c - key=value lookups on the multiboot command line (see cmdline.h).
 *
 * No libc and no allocation: the command line is scanned in place every time.
 * It is a few hundred bytes read a handful of times at boot, so re-scanning is
 * cheaper than any index we could build. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmdline.h"

struct word {
	const char *s;
	size_t len;
	size_t klen;		/* length of the key, i.e. up to the first '=' */
	bool has_eq;
};

static bool is_sep(char c)
{
	/* \n and \r too: a command line read from a file often ends in one. */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	while (alen--)
		if (*a++ != *b++)
			return false;
	return true;
}

static void copy_out(char *dst, size_t size, const char *src, size_t len)
{
	size_t i;

	if (!dst || size == 0)
		return;
	if (len > size - 1)
		len = size - 1;
	for (i = 0; i < len; i++)
		dst[i] = src[i];
	dst[len] = '\0';
}

/* Steps *p to the next word that can carry an option. The first word of the
 * line is the image name when it has no '='; *first tracks whether we are there. */
static bool next_word(const char **p, bool *first, struct word *w)
{
	bool image;

	do {
		const char *s = *p;

		while (*s && is_sep(*s))
			s++;
		if (!*s)
			return false;
		w->s = s;
		w->has_eq = false;
		while (*s && !is_sep(*s)) {
			if (*s == '=' && !w->has_eq) {
				w->has_eq = true;
				w->klen = (size_t)(s - w->s);
			}
			s++;
		}
		w->len = (size_t)(s - w->s);
		if (!w->has_eq)
			w->klen = w->len;
		*p = s;
		image = *first && !w->has_eq;
		*first = false;
	} while (image);
	return true;
}

/* Finds the value of the last "key=..." word; bare words are left to validate. */
static bool find(const char *cmdline, const char *key, const char **val, size_t *vlen)
{
	const char *p = cmdline ? cmdline : "";
	size_t klen = slen(key);
	bool first = true, found = false;
	struct word w;

	while (next_word(&p, &first, &w)) {
		if (w.has_eq && same(w.s, w.klen, key, klen)) {
			*val = w.s + w.klen + 1;
			*vlen = w.len - w.klen - 1;
			found = true;
		}
	}
	return found;
}

int cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
	const char *v;
	size_t n;

	/* Leave an empty string behind on failure, so a careless caller prints "". */
	copy_out(buf, size, "", 0);
	if (!find(cmdline, key, &v, &n) || n >= size || n > INT32_MAX)
		return -1;
	copy_out(buf, size, v, n);
	return (int)n;
}

bool cmdline_has(const char *cmdline, const char *key)
{
	const char *v;
	size_t n;

	return find(cmdline, key, &v, &n);
}

int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, shift = 0;
	size_t i = 0, start;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	switch (len > i ? s[len - 1] : 0) {
	case 'k': case 'K': shift = 10; len--; break;
	case 'm': case 'M': shift = 20; len--; break;
	case 'g': case 'G': shift = 30; len--; break;
	}
	for (start = i; i < len; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -2;
		if (v > (UINT64_MAX - d) / base)
			return -2;
		v = v * base + d;
	}
	/* Needs a digit: "", "0x", "k" are typos, not zero. */
	if (i == start || v > UINT64_MAX >> shift)
		return -2;
	*out = v << shift;
	return 0;
}

int cmdline_get_u64(const char *cmdline, const char *key, uint64_t *out)
{
	const char *v;
	size_t n;

	if (!find(cmdline, key, &v, &n))
		return -1;
	return parse_u64(v, n, out);
}

int cmdline_get_choice(const char *cmdline, const char *key,
		       const char *const *choices, size_t n, int *index)
{
	const char *v;
	size_t vlen, i;

	if (!find(cmdline, key, &v, &vlen))
		return -1;
	for (i = 0; i < n; i++) {
		if (choices[i] && same(v, vlen, choices[i], slen(choices[i]))) {
			*index = (int)i;
			return 0;
		}
	}
	return -2;
}

int cmdline_validate(const char *cmdline, const char *const *allowed,
		     char *bad, size_t size)
{
	const char *p = cmdline ? cmdline : "";
	bool first = true;
	struct word w;

	copy_out(bad, size, "", 0);
	while (next_word(&p, &first, &w)) {
		const char *const *a = allowed;

		/* A bare word past the image name is a typo for key=value. */
		while (w.has_eq && a && *a && !same(w.s, w.klen, *a, slen(*a)))
			a++;
		if (!w.has_eq || !a || !*a) {
			copy_out(bad, size, w.s, w.len);
			return -1;
		}
	}
	return 0;
}
