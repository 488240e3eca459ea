/* query.c - the collector's queries on a results CSV (usage: collect --help).
 *
 * Figures and the paper never parse the CSV themselves: gnuplot reads the output of
 * "collect table", the paper's numbers come from "collect value". So a column that
 * moves or a record that is missing fails here, loudly, instead of turning into an
 * empty plot or a wrong number. */
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "csv.h"
#include "record.h"

#define MAX_WHERE  16
#define MAX_VALUES 8
#define MAX_SERIES 8
#define MAX_KEYS   512

struct col_ref {
	int col;
	bool bytes;        /* "COL:bytes": 4K, 1M, ... read as numbers */
};

struct expr {          /* COL or COL/COL */
	int num, den;      /* den -1 when there is none */
	const char *text;
};

struct query {
	struct csv t;
	struct {
		int col;
		bool negate;
		const char *glob;
	} where[MAX_WHERE];
	unsigned nwhere, nvalues, nseries;
	struct expr value[MAX_VALUES];
	int series[MAX_SERIES];
	struct col_ref rows, pick, distinct;
	bool tex;
	int digits;        /* -1: print values as they are */
};

static int fail(const char *msg, const char *arg)
{
	fprintf(stderr, "collect: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
	return 2;
}

static int column(const struct query *q, const char *name, int *col)
{
	*col = csv_col(&q->t, name);
	if (*col < 0) {
		fprintf(stderr, "collect: no column '%s' in the CSV\n", name);
		return -1;
	}
	return 0;
}

static int col_ref(const struct query *q, const char *spec, struct col_ref *r)
{
	char name[128];
	const char *colon = strrchr(spec, ':');

	r->bytes = colon && !strcmp(colon, ":bytes");
	snprintf(name, sizeof(name), "%.*s", (int)(r->bytes ? colon - spec : (long)strlen(spec)),
		 spec);
	return column(q, name, &r->col);
}

static int parse_expr(const struct query *q, const char *s, struct expr *e)
{
	char a[128];
	const char *slash = strchr(s, '/');

	e->text = s;
	e->den = -1;
	snprintf(a, sizeof(a), "%.*s", (int)(slash ? slash - s : (long)strlen(s)), s);
	if (column(q, a, &e->num))
		return -1;
	return slash ? column(q, slash + 1, &e->den) : 0;
}

/* Splits a comma list in place into at most max words. */
static unsigned words(char *s, char **out, unsigned max)
{
	unsigned n = 0;

	for (char *save, *w = strtok_r(s, ",", &save); w && n < max; w = strtok_r(NULL, ",", &save))
		out[n++] = w;
	return n;
}

static double num(const char *s, bool bytes)
{
	char *end;
	double v = bytes ? record_bytes(s) : strtod(s, &end);

	return bytes || (*s && !*end) ? v : -1;
}

/* The expression's value for row r, in buf; "" when a column is empty (unsupported). */
static const char *eval(const struct query *q, unsigned r, const struct expr *e, char *buf,
			size_t len)
{
	const char *a = csv_at(&q->t, r, (unsigned)e->num), *b;
	char *end;

	if (e->den < 0 || !*a) {
		if (q->digits < 0 || !*a)
			return a;
		double v = strtod(a, &end);
		if (*end)
			return a;
		snprintf(buf, len, "%.*f", q->digits, v);
		return buf;
	}
	b = csv_at(&q->t, r, (unsigned)e->den);
	double d = strtod(b, &end);
	if (!*b || *end || d == 0)
		return "";
	snprintf(buf, len, "%.*f", q->digits < 0 ? 2 : q->digits, strtod(a, NULL) / d);
	return buf;
}

static bool selected(const struct query *q, unsigned r)
{
	for (unsigned i = 0; i < q->nwhere; i++) {
		bool m = !fnmatch(q->where[i].glob, csv_at(&q->t, r, (unsigned)q->where[i].col), 0);
		if (m == q->where[i].negate)
			return false;
	}
	return true;
}

/* Selected rows whose every value expression is non-empty. */
static bool usable(const struct query *q, unsigned r)
{
	char buf[64];

	if (!selected(q, r))
		return false;
	for (unsigned i = 0; i < q->nvalues; i++)
		if (!*eval(q, r, &q->value[i], buf, sizeof(buf)))
			return false;
	return true;
}

static void series_name(const struct query *q, unsigned r, char *buf, size_t len)
{
	size_t at = 0;

	snprintf(buf, len, "%s", q->nseries ? "" : q->value[0].text);
	for (unsigned i = 0; i < q->nseries && at < len; i++) {
		const char *v = csv_at(&q->t, r, (unsigned)q->series[i]);
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "/" : "", *v ? v : "-");
	}
}

/* Index of s in keys (appending it), or -1 when there are too many. */
static int intern(char **keys, unsigned *n, const char *s)
{
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp(keys[i], s))
			return (int)i;
	if (*n == MAX_KEYS)
		return -1;
	keys[*n] = strdup(s);
	return (int)(*n)++;
}

static void put_text(const struct query *q, const char *s)
{
	for (; q->tex && *s; s++) {
		if (strchr("_%&#$", *s))
			putchar('\\');
		putchar(*s);
	}
	if (!q->tex)
		fputs(s, stdout);
}

static struct query *sort_q; /* qsort has no context argument */
static const char *const *sort_keys;
static int by_row_value(const void *a, const void *b)
{
	double x = num(sort_keys[*(const unsigned *)a], sort_q->rows.bytes);
	double y = num(sort_keys[*(const unsigned *)b], sort_q->rows.bytes);
	return (x > y) - (x < y);
}

static int table(struct query *q)
{
	static char *rows[MAX_KEYS], *series[MAX_KEYS];
	static unsigned order[MAX_KEYS];
	unsigned nrows = 0, nseries = 0, nvals = q->nvalues;
	char name[256], buf[64];
	bool numeric = true;
	int *cell = NULL, rc = 0;
	/* Each usable CSV row's table row and series (-1: not in the table), found in one
	 * pass, so the cells can be allocated once their numbers are known. */
	int *at = malloc(sizeof(int) * 2 * (q->t.nrows ? q->t.nrows : 1));

	if (!at)
		return fail("out of memory", NULL);
	for (unsigned r = 0; r < q->t.nrows; r++) {
		at[2 * r] = -1;
		if (!usable(q, r))
			continue;
		series_name(q, r, name, sizeof(name));
		at[2 * r] = intern(rows, &nrows, csv_at(&q->t, r, (unsigned)q->rows.col));
		at[2 * r + 1] = intern(series, &nseries, name);
		if (at[2 * r] < 0 || at[2 * r + 1] < 0) {
			rc = fail("too many distinct rows or series", NULL);
			goto out;
		}
	}
	if (!nrows) {
		fprintf(stderr, "collect: no record matches the table's selection\n");
		rc = 1;
		goto out;
	}
	cell = malloc(sizeof(int) * nrows * nseries);
	if (!cell) {
		rc = fail("out of memory", NULL);
		goto out;
	}
	for (unsigned i = 0; i < nrows * nseries; i++)
		cell[i] = -1;
	for (unsigned r = 0; r < q->t.nrows; r++) {
		int i = at[2 * r], j = at[2 * r + 1];
		if (i < 0)
			continue;
		int *c = &cell[(unsigned)i * nseries + (unsigned)j];
		if (*c >= 0 && q->pick.col < 0) {
			fprintf(stderr, "collect: two records for row '%s', series '%s' (CSV rows %d "
				"and %u); narrow it with --where or choose with --pick\n", rows[i],
				series[j], *c + 2, r + 2);
			rc = 2;
			goto out;
		}
		if (*c < 0 || num(csv_at(&q->t, r, (unsigned)q->pick.col), q->pick.bytes) >
				      num(csv_at(&q->t, (unsigned)*c, (unsigned)q->pick.col), q->pick.bytes))
			*c = (int)r;
	}
	for (unsigned i = 0; i < nrows; i++) {
		order[i] = i;
		numeric &= num(rows[i], q->rows.bytes) >= 0;
	}
	if (numeric) {
		sort_q = q;
		sort_keys = (const char *const *)rows;
		qsort(order, nrows, sizeof(order[0]), by_row_value);
	}
	put_text(q, q->t.head[q->rows.col]);
	for (unsigned j = 0; j < nseries; j++)
		for (unsigned v = 0; v < nvals; v++) {
			fputs(q->tex ? " & " : " ", stdout);
			put_text(q, series[j]);
			if (v) {
				putchar(':');
				put_text(q, q->value[v].text);
			}
		}
	puts(q->tex ? " \\\\ \\midrule" : "");
	for (unsigned k = 0; k < nrows; k++) {
		unsigned i = order[k];
		if (q->rows.bytes && !q->tex)
			printf("%.0f", num(rows[i], true));
		else
			put_text(q, rows[i]);
		for (unsigned j = 0; j < nseries; j++)
			for (unsigned v = 0; v < nvals; v++) {
				int c = cell[i * nseries + j];
				fputs(q->tex ? " & " : " ", stdout);
				fputs(c < 0 ? (q->tex ? "--" : "?")
					    : eval(q, (unsigned)c, &q->value[v], buf, sizeof(buf)),
				      stdout);
			}
		puts(q->tex ? " \\\\" : "");
	}
out:
	free(at);
	free(cell);
	for (unsigned i = 0; i < nrows; i++)
		free(rows[i]);
	for (unsigned j = 0; j < nseries; j++)
		free(series[j]);
	return rc;
}

static int value(const struct query *q)
{
	char buf[64];
	int found = -1;
	unsigned n = 0;

	for (unsigned r = 0; r < q->t.nrows; r++)
		if (usable(q, r)) {
			n++;
			found = (int)r;
		}
	if (n != 1) {
		fprintf(stderr, "collect: %u records match where one was wanted%s\n", n,
			n ? "; add --where" : "");
		return 1;
	}
	puts(eval(q, (unsigned)found, &q->value[0], buf, sizeof(buf)));
	return 0;
}

static int distinct(const struct query *q)
{
	static char *seen[MAX_KEYS];
	unsigned n = 0, before;

	for (unsigned r = 0; r < q->t.nrows; r++) {
		const char *v = csv_at(&q->t, r, (unsigned)q->distinct.col);
		if (!selected(q, r) || !*v)
			continue;
		before = n;
		if (intern(seen, &n, v) < 0)
			return fail("too many distinct values", NULL);
		if (n != before)
			puts(v);
	}
	for (unsigned i = 0; i < n; i++)
		free(seen[i]);
	return n ? 0 : 1;
}

static int parse_args(struct query *q, int argc, char **argv)
{
	char *list[MAX_VALUES + MAX_SERIES];

	q->rows.col = q->pick.col = q->distinct.col = -1;
	q->digits = -1;
	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		if (!arg)
			return fail("option needs a value:", opt);
		if (!strcmp(opt, "--where")) {
			const char *eq = strchr(arg, '=');
			char name[128];
			if (!eq || eq == arg || q->nwhere == MAX_WHERE)
				return fail("--where takes COL=GLOB or COL!=GLOB, not", arg);
			bool neg = eq[-1] == '!';
			snprintf(name, sizeof(name), "%.*s", (int)(eq - arg - neg), arg);
			q->where[q->nwhere].negate = neg;
			q->where[q->nwhere].glob = eq + 1;
			if (column(q, name, &q->where[q->nwhere++].col))
				return 2;
		} else if (!strcmp(opt, "--rows") || !strcmp(opt, "--col")) {
			if (col_ref(q, arg, opt[2] == 'r' ? &q->rows : &q->distinct))
				return 2;
		} else if (!strcmp(opt, "--pick")) {
			if (strncmp(arg, "max:", 4) || col_ref(q, arg + 4, &q->pick))
				return fail("--pick takes max:COL[:bytes], not", arg);
		} else if (!strcmp(opt, "--series")) {
			q->nseries = words(argv[i + 1], list, MAX_SERIES);
			for (unsigned k = 0; k < q->nseries; k++)
				if (column(q, list[k], &q->series[k]))
					return 2;
		} else if (!strcmp(opt, "--value")) {
			q->nvalues = words(argv[i + 1], list, MAX_VALUES);
			for (unsigned k = 0; k < q->nvalues; k++)
				if (parse_expr(q, list[k], &q->value[k]))
					return 2;
		} else if (!strcmp(opt, "--format")) {
			if (strcmp(arg, "dat") && strcmp(arg, "tex"))
				return fail("--format takes dat or tex, not", arg);
			q->tex = !strcmp(arg, "tex");
		} else if (!strcmp(opt, "--digits")) {
			q->digits = atoi(arg);
		} else {
			return fail("unknown option (see --help):", opt);
		}
	}
	return 0;
}

int query_main(const char *cmd, int argc, char **argv)
{
	struct query q;
	char err[512];
	int rc;

	memset(&q, 0, sizeof(q));
	if (argc < 1)
		return fail("no CSV given (see --help)", NULL);
	if (csv_read(argv[0], &q.t, err, sizeof(err)))
		return fail(err, NULL);
	rc = parse_args(&q, argc, argv);
	if (!rc && !strcmp(cmd, "table")) {
		if (q.rows.col < 0 || !q.nvalues)
			rc = fail("table needs --rows and --value", NULL);
		else
			rc = table(&q);
	} else if (!rc && !strcmp(cmd, "value")) {
		rc = q.nvalues == 1 ? value(&q) : fail("value needs one --value", NULL);
	} else if (!rc) {
		rc = q.distinct.col >= 0 ? distinct(&q) : fail("distinct needs --col", NULL);
	}
	csv_free(&q.t);
	return rc;
}
