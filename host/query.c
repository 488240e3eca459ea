/* query.c - the collector's queries on a results CSV (usage: collect --help).
 *
 * Figures and the paper never parse the CSV themselves: gnuplot reads the output of
 * "collect table", the paper's numbers come from "collect value". So a column that
 * moves or a record that is missing fails here, loudly, instead of turning into an
 * empty plot or a wrong number. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "csv.h"
#include "record.h"

#define STR_(x)    #x
#define STR(x)     STR_(x)
#define MAX_WHERE  16
#define MAX_VALUES 8
#define MAX_SERIES 8
#define MAX_KEYS   512
#define MAX_NAME   128     /* a column name given on the command line */
#define MAX_DIGITS 17      /* more is noise in a double */
/* A number printed "%.*f" with at most MAX_DIGITS decimals: DBL_MAX has 309 digits
 * before the point, so this always fits. */
#define NUM_BUF    (309 + MAX_DIGITS + 8)

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

/* The column named by the first len characters of name. A name too long for any
 * column is an error, not a shorter name that might match another. */
static int column_n(const struct query *q, const char *name, size_t len, int *col)
{
	char buf[MAX_NAME];

	if (len >= sizeof(buf)) {
		fprintf(stderr, "collect: column name '%.40s...' longer than %d characters\n", name,
			MAX_NAME - 1);
		return -1;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	return column(q, buf, col);
}

static int col_ref(const struct query *q, const char *spec, struct col_ref *r)
{
	const char *colon = strrchr(spec, ':');

	r->bytes = colon && !strcmp(colon, ":bytes");
	return column_n(q, spec, r->bytes ? (size_t)(colon - spec) : strlen(spec), &r->col);
}

static int parse_expr(const struct query *q, const char *s, struct expr *e)
{
	const char *slash = strchr(s, '/');

	e->text = s;
	e->den = -1;
	if (column_n(q, s, slash ? (size_t)(slash - s) : strlen(s), &e->num))
		return -1;
	return slash ? column(q, slash + 1, &e->den) : 0;
}

/* Splits a comma list in place into words; more than max is an error (-1), never a
 * list silently cut short. */
static int words(char *s, char **out, unsigned max)
{
	unsigned n = 0;

	for (char *save, *w = strtok_r(s, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		out[n++] = w;
	}
	return (int)n;
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

	double n = strtod(a, &end);

	if (e->den < 0 || !*a) {
		if (q->digits < 0 || !*a)
			return a;
		if (*end)
			return a;
		snprintf(buf, len, "%.*f", q->digits, n);
		return buf;
	}
	if (*end)
		return "";
	b = csv_at(&q->t, r, (unsigned)e->den);
	double d = strtod(b, &end);
	if (!*b || *end || d == 0)
		return "";
	snprintf(buf, len, "%.*f", q->digits < 0 ? 2 : q->digits, n / d);
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
	char buf[NUM_BUF];

	if (!selected(q, r))
		return false;
	for (unsigned i = 0; i < q->nvalues; i++)
		if (!*eval(q, r, &q->value[i], buf, sizeof(buf)))
			return false;
	return true;
}

/* The series row r belongs to, "V1/V2/...", in a new string (NULL: out of memory):
 * whole, however long, since two series cut to one length would merge. */
static char *series_name(const struct query *q, unsigned r)
{
	size_t len = 1;
	char *name;

	if (!q->nseries)
		return strdup(q->value[0].text);
	for (unsigned i = 0; i < q->nseries; i++)
		len += strlen(csv_at(&q->t, r, (unsigned)q->series[i])) + 2;
	if (!(name = malloc(len)))
		return NULL;
	*name = '\0';
	for (unsigned i = 0; i < q->nseries; i++) {
		const char *v = csv_at(&q->t, r, (unsigned)q->series[i]);
		strcat(strcat(name, i ? "/" : ""), *v ? v : "-");
	}
	return name;
}

/* Index of s in keys (appending it), -1 when there are too many, -2 out of memory. */
static int intern(char **keys, unsigned *n, const char *s)
{
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp(keys[i], s))
			return (int)i;
	if (*n == MAX_KEYS)
		return -1;
	if (!(keys[*n] = strdup(s)))
		return -2;
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
	char *name, buf[NUM_BUF];
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
		name = series_name(q, r);
		at[2 * r] = intern(rows, &nrows, csv_at(&q->t, r, (unsigned)q->rows.col));
		at[2 * r + 1] = name ? intern(series, &nseries, name) : -2;
		free(name);
		if (at[2 * r] < 0 || at[2 * r + 1] < 0) {
			rc = fail(at[2 * r] == -2 || at[2 * r + 1] == -2 ? "out of memory"
				  : "too many distinct rows or series", NULL);
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

/* The one record the query selects, or -1 (said on stderr). */
static int the_record(const struct query *q)
{
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
		return -1;
	}
	return found;
}

static int value(const struct query *q)
{
	char buf[NUM_BUF];
	int r = the_record(q);

	if (r < 0)
		return 1;
	puts(eval(q, (unsigned)r, &q->value[0], buf, sizeof(buf)));
	return 0;
}

#define EXACT_DIGITS 9
#define MAX_LINE     1024

static int parse_args(struct query *q, int argc, char **argv);

/* values: many "value" queries from one read of the CSV (the paper quotes dozens of
 * numbers; a process each is most of its build). Each line of stdin is
 * "DIGITS EXPR [COL=GLOB]..." and gets one line on stdout: the value with DIGITS
 * decimals and with EXACT_DIGITS, or "!" where "value" would fail (its message on
 * stderr). */
static int values(struct query *q)
{
	char line[MAX_LINE], buf[NUM_BUF], exact[NUM_BUF];
	/* "-", then an option and its value per word: DIGITS, EXPR, MAX_WHERE COL=GLOB. */
	char *argv[1 + 2 * (2 + MAX_WHERE)], *w;
	int rc = 0;

	while (fgets(line, sizeof(line), stdin)) {
		int argc = 1, r = -1;
		unsigned k;

		if (!strchr(line, '\n') && !feof(stdin))
			return fail("a query line longer than " STR(MAX_LINE) " characters", NULL);
		argv[0] = "-";
		for (k = 0; (w = strtok(k ? NULL : line, " \t\n")) && k < 2 + MAX_WHERE; k++) {
			argv[argc++] = k == 0 ? "--digits" : k == 1 ? "--value" : "--where";
			argv[argc++] = w;
		}
		if (k < 2 || w) {   /* w: a word left over, past MAX_WHERE conditions */
			fprintf(stderr, "collect: values takes DIGITS EXPR and at most " STR(MAX_WHERE)
				" COL=GLOB per line\n");
		} else if (!parse_args(q, argc, argv) && q->nvalues == 1 &&
			   (r = the_record(q)) >= 0) {
			const char *v = eval(q, (unsigned)r, &q->value[0], buf, sizeof(buf));
			q->digits = EXACT_DIGITS;
			if (*v) {
				printf("%s %s\n", v, eval(q, (unsigned)r, &q->value[0], exact, sizeof(exact)));
				continue;
			}
			fprintf(stderr, "collect: the record has no value for %s\n", q->value[0].text);
		}
		puts("!");
		rc = 1;
	}
	fflush(stdout);
	return ferror(stdout) ? fail("cannot write the answers", NULL) : rc;
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
		if (intern(seen, &n, v) < 0) {
			for (unsigned i = 0; i < n; i++)
				free(seen[i]);
			return fail("too many distinct values or out of memory", NULL);
		}
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
	q->nwhere = q->nvalues = q->nseries = 0; /* "values" parses a query per line */
	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		if (!arg)
			return fail("option needs a value:", opt);
		if (!strcmp(opt, "--where")) {
			const char *eq = strchr(arg, '=');
			if (!eq || eq == arg)
				return fail("--where takes COL=GLOB or COL!=GLOB, not", arg);
			if (q->nwhere == MAX_WHERE)
				return fail("more than " STR(MAX_WHERE) " --where:", arg);
			bool neg = eq[-1] == '!';
			q->where[q->nwhere].negate = neg;
			q->where[q->nwhere].glob = eq + 1;
			if (column_n(q, arg, (size_t)(eq - arg - neg), &q->where[q->nwhere++].col))
				return 2;
		} else if (!strcmp(opt, "--rows") || !strcmp(opt, "--col")) {
			if (col_ref(q, arg, opt[2] == 'r' ? &q->rows : &q->distinct))
				return 2;
		} else if (!strcmp(opt, "--pick")) {
			if (strncmp(arg, "max:", 4) || col_ref(q, arg + 4, &q->pick))
				return fail("--pick takes max:COL[:bytes], not", arg);
		} else if (!strcmp(opt, "--series")) {
			int n = q->nseries ? -1 : words(argv[i + 1], list, MAX_SERIES);
			if (n < 0)
				return fail("--series takes one list of at most " STR(MAX_SERIES)
					    " columns, not", arg);
			q->nseries = (unsigned)n;
			for (unsigned k = 0; k < q->nseries; k++)
				if (column(q, list[k], &q->series[k]))
					return 2;
		} else if (!strcmp(opt, "--value")) {
			int n = q->nvalues ? -1 : words(argv[i + 1], list, MAX_VALUES);
			if (n < 0)
				return fail("--value takes one list of at most " STR(MAX_VALUES)
					    " expressions, not", arg);
			q->nvalues = (unsigned)n;
			for (unsigned k = 0; k < q->nvalues; k++)
				if (parse_expr(q, list[k], &q->value[k]))
					return 2;
		} else if (!strcmp(opt, "--format")) {
			if (strcmp(arg, "dat") && strcmp(arg, "tex"))
				return fail("--format takes dat or tex, not", arg);
			q->tex = !strcmp(arg, "tex");
		} else if (!strcmp(opt, "--digits")) {
			char *end;
			long d = strtol(arg, &end, 10);
			if (!isdigit((unsigned char)*arg) || *end || d > MAX_DIGITS)
				return fail("--digits takes a whole number from 0 to " STR(MAX_DIGITS)
					    ", not", arg);
			q->digits = (int)d;
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
	} else if (!rc && !strcmp(cmd, "values")) {
		rc = argc == 1 ? values(&q) : fail("values takes its queries on stdin, not", argv[1]);
	} else if (!rc) {
		rc = q.distinct.col >= 0 ? distinct(&q) : fail("distinct needs --col", NULL);
	}
	csv_free(&q.t);
	return rc;
}
