/* record.c - parses and checks "@nb v=1 ..." result records (format: record.h, README).
 *
 * Strict on purpose: a record that is almost right (a missing key, a median outside
 * its min..max, two records run together by interleaved console output) is far more
 * likely a bug in a runner or a guest than a new format, and a figure built on it
 * would be wrong without anyone noticing. */
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
	return NULL;
}

static bool valid_key(const char *k)
{
	if (!islower((unsigned char)*k))
		return false;
	for (; *k; k++)
		if (!islower((unsigned char)*k) && !isdigit((unsigned char)*k) && *k != '_' &&
		    *k != '.')
			return false;
	return true;
}

/* Printable ASCII without the space and without '"', so a value needs no escaping
 * beyond CSV quoting (params and hv values hold commas). */
static bool valid_value(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (*v <= ' ' || *v > '~' || *v == '"')
			return false;
	return true;
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
		if (!valid_key(p))
			return bad(err, errlen, "bad key '%s' (lower case, digits, '_' and '.')", p);
		if (!valid_value(eq + 1))
			return bad(err, errlen, "key '%s' has an empty value or one with a quote or "
				   "control character", p);
		if (record_get(r, p))
			return bad(err, errlen, "key '%s' appears twice", p);
		r->key[r->n] = p;
		r->val[r->n++] = eq + 1;
		if (!sp)
			return 0;
		p = sp + 1;
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
	const char *status = record_get(r, "status");

	if (require(r, "case platform level hv cpu git", err, errlen))
		return RECORD_BAD;
	if (strncmp(c, "hv.", 3) && require(r, "params metric", err, errlen))
		return RECORD_BAD;
	if (!integer(record_get(r, "level")))
		return bad(err, errlen, "level=%s is not a whole number", record_get(r, "level"));
	if (clock && strcmp(clock, "tsc") && strcmp(clock, "instructions"))
		return bad(err, errlen, "clock=%s (tsc or instructions)", clock);
	if (record_get(r, "median"))
		return check_timing(r, err, errlen);
	if (status && strcmp(status, "unsupported"))
		return bad(err, errlen, "status=%s (only unsupported is defined)", status);
	if (status && !record_get(r, "reason"))
		return bad(err, errlen, "status=unsupported without a reason=");
	return RECORD_OK;
}

int record_parse(const char *line, struct record *r, char *err, size_t errlen)
{
	size_t len = strcspn(line, "\r\n");
	const char *at = strstr(line, "@nb v=");

	r->n = 0;
	if (strncmp(line, PREFIX, strlen(PREFIX)))
		return at && (size_t)(at - line) < len
			       ? bad(err, errlen, "a record that does not start its line "
					  "(console output run together?)")
			       : RECORD_NONE;
	if (line[len] && strcmp(line + len, "\n") && strcmp(line + len, "\r\n"))
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
	return check(r, err, errlen);
}
