/* record.c - parses and checks "@nb v=1 ..." result records (format: record.h, README).
 *
 * Strict on purpose: a record that is almost right (a missing key, a median outside
 * its min..max, two records run together by interleaved console output) is far more
 * likely a bug in a runner or a guest than a new format, and a figure built on it
 * would be wrong without anyone noticing. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

#define PREFIX "@nb "

__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return RECORD_BAD;
}

const char *record_get(const struct record *r, const char *key)
{
	for (unsigned i = 0; i < r->n; i++)
		if (!strcmp(r->key[i], key))
			return r->val[i];
	for (unsigned i = 0; i < r->nderived; i++)
		if (!strcmp(r->dkey[i], key))
			return r->dval[i];
	return NULL;
}

/* A lower-case letter, then lower-case letters, digits and '_' (record.h). */
static bool valid_key(const char *k, size_t len)
{
	if (!len || !islower((unsigned char)*k))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!islower((unsigned char)k[i]) && !isdigit((unsigned char)k[i]) && k[i] != '_')
			return false;
	return true;
}

#define VALUE_SET "letters, digits and _-.,:=()/+"

/* The key the collector derives itself, so a record cannot supply it. */
static bool reserved_key(const char *k)
{
	return !strcmp(k, "job") || !strcmp(k, "log");
}

static bool number(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return *s && !*end && !errno && isfinite(*out) && !isspace((unsigned char)*s);
}

static bool integer(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

double record_bytes(const char *s)
{
	static const char units[] = "KMGT";
	char *end;
	double v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtod(s, &end);
	if (!*end)
		return v;
	const char *u = end[1] ? NULL : strchr(units, *end);
	if (!u || !*end)
		return -1;
	for (const char *p = units; p <= u; p++)
		v *= 1024;
	return v;
}

/* Cuts buf at single spaces into key=value fields. */
static int split(struct record *r, char *p, char *err, size_t errlen)
{
	for (;;) {
		char *sp = strchr(p, ' '), *eq;

		if (sp)
			*sp = '\0';
		if (!*p)
			return bad(err, errlen, "empty field (two spaces, or a space at the end)");
		if (r->n == RECORD_FIELDS_MAX)
			return bad(err, errlen, "more than %d fields", RECORD_FIELDS_MAX);
		eq = strchr(p, '=');
		if (!eq)
			return bad(err, errlen, "field '%s' is not key=value", p);
		*eq = '\0';
		if (!valid_key(p, strlen(p)))
			return bad(err, errlen, "bad key '%s' (a lower-case letter, then lower-case "
				   "letters, digits and '_')", p);
		if (reserved_key(p))
			return bad(err, errlen, "key '%s' is the collector's (the log's %s), not a "
				   "record's", p, strcmp(p, "job") ? "path" : "folder");
		if (!eq[1])
			return bad(err, errlen, "key '%s' has an empty value", p);
		for (const char *c = eq + 1; *c; c++)
			if (!record_value_char((unsigned char)*c))
				return bad(err, errlen, "key '%s': character '%c' is outside the value "
					   "set (" VALUE_SET ")", p, *c);
		if (record_get(r, p))
			return bad(err, errlen, "key '%s' appears twice", p);
		r->key[r->n] = p;
		r->val[r->n++] = eq + 1;
		if (!sp)
			return 0;
		p = sp + 1;
	}
}

/* The collector's columns from a list value: params=page=4K,span=1M gives p.page and
 * p.span (sep '='), hv=ept:4k,vpid:on gives hv.ept and hv.vpid (sep ':'). A value
 * that is no such list ("-", hv=none, another hypervisor's signature) derives nothing,
 * and an item without sep is skipped; an item's key follows the key rule and appears
 * once, so every derived column name is well formed and every cell has one source. */
static int derive(struct record *r, size_t *used, const char *name, const char *prefix,
		  char sep, char *err, size_t errlen)
{
	const char *item = record_get(r, name);
	size_t plen = strlen(prefix);

	if (!item || !strchr(item, sep))
		return 0;
	for (;;) {
		size_t len = strcspn(item, ","), klen, vlen;
		const char *s = memchr(item, sep, len);
		if (s) {
			klen = (size_t)(s - item);
			vlen = len - klen - 1;
			if (!valid_key(item, klen) || !vlen)
				return bad(err, errlen, "%s item '%.*s' is not KEY%cVALUE with a key of "
					   "lower-case letters, digits and '_'", name, (int)len, item, sep);
			if (r->nderived == RECORD_DERIVED_MAX)
				return bad(err, errlen, "more than %d items in params and hv",
					   RECORD_DERIVED_MAX);
			/* "PREFIX.KEY\0VALUE\0": dbuf has room for the lists' characters
			 * plus 4 per item, so this is a guard, not a limit. */
			if (*used + plen + len + 2 > sizeof(r->dbuf))
				return bad(err, errlen, "params and hv lists too long");
			char *k = r->dbuf + *used, *v = k + plen + 1 + klen + 1;
			memcpy(k, prefix, plen);
			k[plen] = '.';
			memcpy(k + plen + 1, item, klen);
			k[plen + 1 + klen] = '\0';
			memcpy(v, s + 1, vlen);
			v[vlen] = '\0';
			if (record_get(r, k))
				return bad(err, errlen, "%s lists '%.*s' twice", name, (int)klen, item);
			r->dkey[r->nderived] = k;
			r->dval[r->nderived++] = v;
			*used += plen + len + 2;
		}
		if (!item[len])
			return 0;
		item += len + 1;
	}
}

static int require(const struct record *r, const char *keys, char *err, size_t errlen)
{
	char list[128], *save, *k;

	snprintf(list, sizeof(list), "%s", keys);
	for (k = strtok_r(list, " ", &save); k; k = strtok_r(NULL, " ", &save))
		if (!record_get(r, k))
			return bad(err, errlen, "%s record without %s=",
				   record_get(r, "case") ? record_get(r, "case") : "a", k);
	return 0;
}

static int check_timing(const struct record *r, char *err, size_t errlen)
{
	static const char *const order[] = { "min", "median", "p90", "max" };
	double v[4];

	if (require(r, "metric unit clock iterations repetitions min max p90", err, errlen))
		return RECORD_BAD;
	if (record_get(r, "status"))
		return bad(err, errlen, "a timing with status=%s", record_get(r, "status"));
	for (unsigned i = 0; i < 4; i++)
		if (!number(record_get(r, order[i]), &v[i]))
			return bad(err, errlen, "%s=%s is not a number", order[i],
				   record_get(r, order[i]));
	for (unsigned i = 1; i < 4; i++)
		if (v[i] < v[i - 1])
			return bad(err, errlen, "%s=%s below %s=%s", order[i], record_get(r, order[i]),
				   order[i - 1], record_get(r, order[i - 1]));
	if (!integer(record_get(r, "iterations")) || !integer(record_get(r, "repetitions")))
		return bad(err, errlen, "iterations and repetitions must be whole numbers");
	return RECORD_OK;
}

static int check(const struct record *r, char *err, size_t errlen)
{
	const char *c = record_get(r, "case"), *clock = record_get(r, "clock");
	const char *status = record_get(r, "status"), *emulated = record_get(r, "emulated");

	if (require(r, "case platform level hv cpu git", err, errlen))
		return RECORD_BAD;
	if (strncmp(c, "hv.", 3) && require(r, "params metric", err, errlen))
		return RECORD_BAD;
	if (!integer(record_get(r, "level")))
		return bad(err, errlen, "level=%s is not a whole number", record_get(r, "level"));
	if (clock && strcmp(clock, "tsc") && strcmp(clock, "instructions"))
		return bad(err, errlen, "clock=%s (tsc or instructions)", clock);
	if (emulated && strcmp(emulated, "yes") && strcmp(emulated, "no"))
		return bad(err, errlen, "emulated=%s (yes or no)", emulated);
	if (record_get(r, "median"))
		return check_timing(r, err, errlen);
	if (status && strcmp(status, "unsupported"))
		return bad(err, errlen, "status=%s (only unsupported is defined)", status);
	if (status && !record_get(r, "reason"))
		return bad(err, errlen, "status=unsupported without a reason=");
	return RECORD_OK;
}

int record_parse(const char *line, size_t len, struct record *r, char *err, size_t errlen)
{
	size_t used = 0;

	r->n = r->nderived = 0;
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (len < strlen(PREFIX) || memcmp(line, PREFIX, strlen(PREFIX)))
		return memmem(line, len, "@nb v=", 6)
			       ? bad(err, errlen, "a record that does not start its line "
					  "(console output run together?)")
			       : RECORD_NONE;
	/* Checked on the whole line, before anything treats it as a C string: a NUL would
	 * otherwise end the record early and pass its first part off as all of it. */
	if (memchr(line, '\0', len))
		return bad(err, errlen, "a NUL byte inside the record");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < ' ' || line[i] == 0x7f)
			return bad(err, errlen, "a control character inside the record");
	if (len >= sizeof(r->buf))
		return bad(err, errlen, "longer than %d characters", RECORD_LINE_MAX - 1);
	memcpy(r->buf, line, len);
	r->buf[len] = '\0';
	if (strstr(r->buf + 1, "@nb"))
		return bad(err, errlen, "two records on one line (console output run together?)");
	if (split(r, r->buf + strlen(PREFIX), err, errlen))
		return RECORD_BAD;
	if (strcmp(r->key[0], "v"))
		return bad(err, errlen, "the first field must be v=, not %s=", r->key[0]);
	if (strcmp(r->val[0], "1"))
		return bad(err, errlen, "record version v=%s; this collector reads v=%d",
			   r->val[0], RECORD_VERSION);
	if (derive(r, &used, "params", "p", '=', err, errlen) ||
	    derive(r, &used, "hv", "hv", ':', err, errlen))
		return RECORD_BAD;
	return check(r, err, errlen);
}
