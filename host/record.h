/* record.h - the result record, "@nb v=1 key=value ...": the one place it is parsed.
 *
 * Every platform prints its results as such lines on its console (README, "Result
 * records"). record_parse() reads one console line and either ignores it (not a
 * record), accepts it, or rejects it with a reason a person can act on. Three kinds
 * are well formed:
 *   a timing       median= present: metric, unit, clock, iterations, repetitions and
 *                  min/median/p90/max as numbers, in that order of size;
 *   unsupported    status=unsupported with a reason=, and no timing;
 *   a count        anything else (walk.depth's refs, hv.exits' counters).
 * Every record carries case, platform and level; the context keys params, metric,
 * hv, cpu and git are required on all but the hypervisor's own hv.* records, which
 * carry hv, cpu and git only. */
#ifndef NB_RECORD_H
#define NB_RECORD_H

#include <stddef.h>

#define RECORD_VERSION    1
#define RECORD_LINE_MAX   4096
#define RECORD_FIELDS_MAX 64

struct record {
	unsigned n;                          /* fields, in the order printed */
	const char *key[RECORD_FIELDS_MAX];
	const char *val[RECORD_FIELDS_MAX];
	char buf[RECORD_LINE_MAX];           /* the line, cut into NUL-terminated words */
};

enum { RECORD_NONE = 0, RECORD_OK = 1, RECORD_BAD = -1 };

/* Parses one console line (a trailing "\n" or "\r\n" is ignored). Returns
 * RECORD_NONE for a line that is not a record, RECORD_OK with r filled in, or
 * RECORD_BAD with a one-line reason in err. */
int record_parse(const char *line, struct record *r, char *err, size_t errlen);

/* The value of key, or NULL. */
const char *record_get(const struct record *r, const char *key);

/* "4K" -> 4096, "1M", "4G", "2T", or a plain non-negative decimal; -1 if neither. */
double record_bytes(const char *s);

#endif
