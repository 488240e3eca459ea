/* record.h - the result record, "@nb v=1 key=value ...": the one place it is parsed.
 *
 * Every platform prints its results as such lines on its console (README, "The record
 * format"). record_parse() reads one console line and either ignores it (not a
 * record), accepts it, or rejects it with a reason a person can act on. Three kinds
 * are well formed:
 *   a timing       median= present: metric, unit, clock, iterations, repetitions and
 *                  min/median/p90/max as numbers, in that order of size;
 *   unsupported    status=unsupported with a reason=, and no timing;
 *   a count        anything else (walk.depth's refs, hv.exits' counters).
 * Every record carries case, platform and level; the context keys params, metric,
 * hv, cpu and git are required on all but the hypervisor's own hv.* records, which
 * carry hv, cpu and git only.
 *
 * Records are data that ends up in CSV cells, figure titles and the paper, so their
 * characters are restricted to what no consumer has to escape (the value set is
 * lib/record_value.h, shared with the code that writes records; the parser enforces it):
 *   a key    a lower-case letter, then lower-case letters, digits and '_';
 *   a value  one or more of A-Z a-z 0-9 and _ - . , : = ( ) / +
 * (no space, quote, backslash, '$', ';', '`' or control character). Keys never hold
 * '.': the dotted names are the collector's derived columns, p.KEY from
 * params=KEY=V,... and hv.KEY from hv=KEY:V,..., which the parser derives here too
 * (their KEYs follow the key rule and appear once per list). job and log are the
 * collector's as well (the log's folder and path), so no record may carry them. */
#ifndef NB_RECORD_H
#define NB_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "record_value.h"

#define RECORD_VERSION      1
#define RECORD_LINE_MAX     4096
#define RECORD_FIELDS_MAX   64
#define RECORD_DERIVED_MAX  64   /* p.KEY and hv.KEY fields together */

struct record {
	unsigned n;                          /* fields, in the order printed */
	const char *key[RECORD_FIELDS_MAX];
	const char *val[RECORD_FIELDS_MAX];
	unsigned nderived;                   /* p.* then hv.*, in list order */
	const char *dkey[RECORD_DERIVED_MAX];
	const char *dval[RECORD_DERIVED_MAX];
	char buf[RECORD_LINE_MAX];           /* the line, cut into NUL-terminated words */
	char dbuf[RECORD_LINE_MAX + RECORD_DERIVED_MAX * 4]; /* derived keys and values */
};

enum { RECORD_NONE = 0, RECORD_OK = 1, RECORD_BAD = -1 };

/* Parses one console line of len bytes (a trailing "\n" or "\r\n" is ignored; a NUL
 * byte inside a record makes it malformed rather than ending it early). Returns
 * RECORD_NONE for a line that is not a record, RECORD_OK with r filled in, or
 * RECORD_BAD with a one-line reason in err. */
int record_parse(const char *line, size_t len, struct record *r, char *err, size_t errlen);

/* The value of key, printed or derived (p.page), or NULL. */
const char *record_get(const struct record *r, const char *key);


/* "4K" -> 4096, "1M", "4G", "2T", or a plain non-negative decimal; -1 if neither. */
double record_bytes(const char *s);

#endif
