/* collect.c - the result collector: console logs in, one CSV out, and the queries that
 * figures and the paper read that CSV with (query.c).
 *
 *   collect csv [-o FILE] LOG...    every record of every log as one CSV row
 *   collect check LOG...            the same parse, no output: is every record well formed?
 *   collect table|value|distinct    queries on a CSV (query.c)
 *
 * Records are parsed by record.c only. The CSV has a header naming every key seen;
 * the well-known keys come first in a fixed order, the others in order of first
 * appearance. Two kinds of derived columns make the CSV easy to select on:
 * params=page=4K,span=1M gives p.page and p.span, and hv=ept:4k,vpid:on gives hv.ept
 * and hv.vpid. The log column names the file each record came from, and job the
 * folder that file is in: in a results folder of scripts/bench, raw/JOB/, the one
 * name that tells two runs of one platform and level apart (models, hv options). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "collect.h"
#include "csv.h"
#include "record.h"

/* The columns every CSV starts with, whether or not a record has them. */
static const char *const fixed[] = {
	"case", "params", "metric", "unit", "clock", "platform", "level", "median", "min",
	"max", "p90", "iterations", "repetitions", "status", "reason", "hv", "cpu", "git",
};
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))
#define MAX_COLS 256

struct row {
	unsigned n;
	char *key[RECORD_FIELDS_MAX * 2 + 1], *val[RECORD_FIELDS_MAX * 2 + 1];
};

struct collection {
	struct row *rows;
	size_t nrows, cap;
	const char *cols[MAX_COLS];
	unsigned ncols;
	unsigned bad, logs_failed;
};

static int add_col(struct collection *c, const char *name)
{
	for (unsigned i = 0; i < c->ncols; i++)
		if (!strcmp(c->cols[i], name))
			return 0;
	if (c->ncols == MAX_COLS)
		return -1;
	c->cols[c->ncols++] = name;
	return 0;
}

static void put(struct row *w, const char *k, size_t klen, const char *v, size_t vlen)
{
	if (w->n == sizeof(w->key) / sizeof(w->key[0]))
		return;
	w->key[w->n] = strndup(k, klen);
	w->val[w->n++] = strndup(v, vlen);
}

/* "a=1,b=2" (sep '=') or "a:1,b:2" (sep ':') -> prefix.a=1, prefix.b=2. A value that
 * is not such a list ("-", hv=none) derives nothing. */
static void derive(struct row *w, const char *prefix, const char *list, char sep)
{
	char key[128];

	if (!strchr(list, sep))
		return;
	while (*list) {
		size_t len = strcspn(list, ","), klen;
		const char *s = memchr(list, sep, len);
		if (s) {
			klen = (size_t)snprintf(key, sizeof(key), "%s.%.*s", prefix,
						(int)(s - list), list);
			put(w, key, klen < sizeof(key) ? klen : sizeof(key) - 1, s + 1,
			    len - (size_t)(s - list) - 1);
		}
		list += len + (list[len] == ',');
	}
}

/* The name of the folder that holds path ("-" when it has none). */
static const char *job_name(const char *path, char *buf, size_t len)
{
	const char *end = strrchr(path, '/'), *start;

	if (!end || end == path) {
		snprintf(buf, len, "-");
		return buf;
	}
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
	return buf;
}

static int add_record(struct collection *c, const struct record *r, const char *log)
{
	struct row *w;
	const char *v;
	char job[128];

	if (c->nrows == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct row *rows = realloc(c->rows, cap * sizeof(*rows));
		if (!rows)
			return -1;
		c->rows = rows;
		c->cap = cap;
	}
	w = &c->rows[c->nrows++];
	w->n = 0;
	for (unsigned i = 1; i < r->n; i++) /* field 0 is v=1 */
		put(w, r->key[i], strlen(r->key[i]), r->val[i], strlen(r->val[i]));
	if ((v = record_get(r, "params")))
		derive(w, "p", v, '=');
	if ((v = record_get(r, "hv")))
		derive(w, "hv", v, ':');
	job_name(log, job, sizeof(job));
	put(w, "job", 3, job, strlen(job));
	put(w, "log", 3, log, strlen(log));
	for (unsigned i = 0; i < w->n; i++) /* job and log go last, after every record key */
		if (strcmp(w->key[i], "log") && strcmp(w->key[i], "job") && add_col(c, w->key[i]))
			return -1;
	return 0;
}

/* Parses one log; malformed records are reported as FILE:LINE and counted. */
static int read_log(struct collection *c, const char *path)
{
	static struct record r;
	char err[256], *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "collect: %s: cannot open\n", path);
		c->logs_failed++;
		return 0;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		switch (record_parse(line, &r, err, sizeof(err))) {
		case RECORD_OK:
			if (add_record(c, &r, path)) {
				fprintf(stderr, "collect: out of memory or more than %d columns\n",
					MAX_COLS);
				free(line);
				fclose(f);
				return -1;
			}
			break;
		case RECORD_BAD:
			fprintf(stderr, "%s:%u: malformed record: %s\n  %.200s%s", path, lineno, err,
				line, strchr(line, '\n') ? "" : "\n");
			c->bad++;
			break;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

static const char *row_get(const struct row *w, const char *key)
{
	for (unsigned i = 0; i < w->n; i++)
		if (!strcmp(w->key[i], key))
			return w->val[i];
	return "";
}

static void write_csv(const struct collection *c, FILE *f)
{
	for (unsigned i = 0; i < c->ncols; i++) {
		if (i)
			fputc(',', f);
		csv_put(f, c->cols[i]);
	}
	fputc('\n', f);
	for (size_t r = 0; r < c->nrows; r++) {
		for (unsigned i = 0; i < c->ncols; i++) {
			if (i)
				fputc(',', f);
			csv_put(f, row_get(&c->rows[r], c->cols[i]));
		}
		fputc('\n', f);
	}
}

static void free_collection(struct collection *c)
{
	for (size_t r = 0; r < c->nrows; r++)
		for (unsigned i = 0; i < c->rows[r].n; i++) {
			free(c->rows[r].key[i]);
			free(c->rows[r].val[i]);
		}
	free(c->rows);
}

static int collect(int argc, char **argv, bool write)
{
	struct collection c = { 0 };
	struct atomic_file out;
	const char *path = "-";
	int i = 0, first, rc = 0;

	if (write && argc >= 2 && !strcmp(argv[0], "-o")) {
		path = argv[1];
		i = 2;
	}
	first = i;
	if (i == argc) {
		fprintf(stderr, "collect: no log files given (see --help)\n");
		return 2;
	}
	for (unsigned k = 0; k < NFIXED; k++)
		add_col(&c, fixed[k]);
	for (; i < argc; i++)
		if (read_log(&c, argv[i]))
			return 2;
	add_col(&c, "job");
	add_col(&c, "log");
	fprintf(stderr, "collect: %zu records from %d log(s)", c.nrows, argc - first);
	if (c.bad)
		fprintf(stderr, ", %u malformed", c.bad);
	fputc('\n', stderr);
	if (write) {
		if (atomic_open(&out, path)) {
			perror(path);
			free_collection(&c);
			return 2;
		}
		write_csv(&c, out.f);
		if (atomic_commit(&out)) {
			perror(path);
			rc = 2;
		}
	} else if (!c.nrows && !c.bad) {
		fprintf(stderr, "collect: no records at all\n");
		rc = 1;
	}
	free_collection(&c);
	if (rc)
		return rc;
	return c.logs_failed ? 2 : c.bad ? 3 : 0;
}

static void usage(FILE *f)
{
	fputs("Usage: collect csv [-o FILE.csv] LOG...\n"
	      "       collect check LOG...\n"
	      "       collect table CSV --rows COL[:bytes] --series COL[,COL...] --value EXPR[,EXPR...]\n"
	      "                     [--where COL=GLOB]... [--pick max:COL[:bytes]] [--format dat|tex]\n"
	      "       collect value CSV --value EXPR [--where COL=GLOB]...\n"
	      "       collect distinct CSV --col COL [--where COL=GLOB]...\n"
	      "\n"
	      "csv    parses the '@nb v=1 ...' records of console logs into one CSV (stdout, or\n"
	      "       FILE.csv written atomically). params= and hv= lists also become columns\n"
	      "       p.KEY and hv.KEY; column log names the source file, job its folder.\n"
	      "check  the same parse, without output.\n"
	      "       Both report each malformed record as LOG:LINE and exit 3 if there was one.\n"
	      "table  a wide table for gnuplot (missing cells '?') or LaTeX: one line per value of\n"
	      "       --rows, one column group per --series combination, one column per --value.\n"
	      "       A cell that two records fill is an error unless --pick keeps the one with\n"
	      "       the largest COL. EXPR is a column or COL/COL. ':bytes' reads 4K, 1M, 1G.\n"
	      "value  the one value EXPR of the one record --where selects (else an error).\n"
	      "distinct  the distinct non-empty values of COL, in order of appearance.\n"
	      "\n"
	      "Exit status: 0 ok; 1 no records / no match; 2 usage or I/O error; 3 malformed records.\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "csv"))
		return collect(argc - 2, argv + 2, true);
	if (!strcmp(argv[1], "check"))
		return collect(argc - 2, argv + 2, false);
	if (!strcmp(argv[1], "table") || !strcmp(argv[1], "value") ||
	    !strcmp(argv[1], "distinct"))
		return query_main(argv[1], argc - 2, argv + 2);
	fprintf(stderr, "collect: unknown command '%s' (see --help)\n", argv[1]);
	return 2;
}
