/* collect.c - the result collector: console logs in, one CSV out, and the queries that
 * figures and the paper read that CSV with (query.c).
 *
 *   collect csv [-o FILE] LOG...    every record of every log as one CSV row
 *   collect check LOG...            the same parse, no output: is every record well formed?
 *   collect table|value|values|distinct    queries on a CSV (query.c)
 *
 * Records are parsed by record.c only. The CSV has a header naming every key seen;
 * the well-known keys come first in a fixed order, the others in order of first
 * appearance. Two kinds of derived columns make the CSV easy to select on (record.c
 * derives them): params=page=4K,span=1M gives p.page and p.span, and
 * hv=ept:4k,vpid:on gives hv.ept and hv.vpid. The log column names the file each
 * record came from, and job the folder that file is in: in a results folder of
 * scripts/bench, raw/JOB/, the one name that tells two runs of one platform and level
 * apart (models, hv options).
 *
 * Never worse than before: every log is read once to learn the columns, and any log
 * that cannot be read stops the collector before the output is touched. Only then
 * are the logs read again and each row written as it is parsed, into a temporary file
 * renamed over the output at the end. Memory therefore grows with the distinct keys,
 * not with the records: a million records cost what one does. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* The CSV's columns in order, with a hash index (open addressing, slot = index + 1),
 * so placing a field in its row costs the same however many columns there are. */
struct columns {
	char **name;
	size_t n, cap;
	size_t *slot, nslots;
};

static size_t hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot where name is, or the empty one where it would go. */
static size_t *slot_of(const struct columns *c, const char *name)
{
	size_t i = hash(name) & (c->nslots - 1);

	while (c->slot[i] && strcmp(c->name[c->slot[i] - 1], name))
		i = (i + 1) & (c->nslots - 1);
	return &c->slot[i];
}

static long col_find(const struct columns *c, const char *name)
{
	return c->nslots ? (long)*slot_of(c, name) - 1 : -1;
}

/* Adds name unless it is there. Returns 0, or -1 out of memory. */
static int col_add(struct columns *c, const char *name)
{
	if (col_find(c, name) >= 0)
		return 0;
	if (2 * (c->n + 1) > c->nslots) { /* keep the table at most half full */
		size_t nslots = c->nslots ? 2 * c->nslots : 64;
		size_t *slot = calloc(nslots, sizeof(*slot));
		if (!slot)
			return -1;
		free(c->slot);
		c->slot = slot;
		c->nslots = nslots;
		for (size_t i = 0; i < c->n; i++)
			*slot_of(c, c->name[i]) = i + 1;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		char **name = realloc(c->name, cap * sizeof(*name));
		if (!name)
			return -1;
		c->name = name;
		c->cap = cap;
	}
	if (!(c->name[c->n] = strdup(name)))
		return -1;
	*slot_of(c, name) = ++c->n;
	return 0;
}

static void free_columns(struct columns *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->name[i]);
	free(c->name);
	free(c->slot);
}

/* The name of the folder that holds path ("-" when it has none). */
static char *job_name(const char *path)
{
	const char *end = strrchr(path, '/'), *start;

	if (!end || end == path)
		return strdup("-");
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	return strndup(start, (size_t)(end - start));
}

struct log {
	const char *path;
	char *job;
	size_t records;       /* well-formed records, counted on the first reading */
};

/* Calls fn for each well-formed record of log; each malformed one is reported as
 * LOG:LINE and counted in *bad when report is set. Returns 0, -1 when the log cannot
 * be read (said why), or fn's non-zero result. */
static int each_record(struct log *log, bool report, unsigned *bad,
		       int (*fn)(void *ctx, struct log *log, const struct record *r),
		       void *ctx)
{
	static struct record r;
	char err[256], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	int rc = 0;
	struct stat st;
	FILE *f = fopen(log->path, "r");

	/* fopen() opens a directory; only reading it would fail, as "no records". */
	if (!f || fstat(fileno(f), &st) || S_ISDIR(st.st_mode)) {
		fprintf(stderr, "collect: %s: cannot read: %s\n", log->path,
			!f || !S_ISDIR(st.st_mode) ? strerror(errno) : "a directory");
		if (f)
			fclose(f);
		return -1;
	}
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		switch (record_parse(line, (size_t)len, &r, err, sizeof(err))) {
		case RECORD_OK:
			rc = fn(ctx, log, &r);
			break;
		case RECORD_BAD:
			if (!report)
				break;
			/* The line as far as it is printable: it may hold a NUL or escapes. */
			fprintf(stderr, "%s:%u: malformed record: %s\n  ", log->path, lineno, err);
			for (ssize_t i = 0; i < len && i < 200 && line[i] != '\n'; i++)
				fputc(line[i] >= ' ' && line[i] < 0x7f ? line[i] : '?', stderr);
			fputc('\n', stderr);
			(*bad)++;
			break;
		}
	}
	if (!rc && ferror(f)) {
		fprintf(stderr, "collect: %s: read error: %s\n", log->path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

/* First reading: the record's keys become columns, in order of appearance. */
static int learn_columns(void *ctx, struct log *log, const struct record *r)
{
	struct columns *c = ctx;
	int rc = 0;

	for (unsigned i = 1; i < r->n; i++) /* field 0 is v=1 */
		rc |= col_add(c, r->key[i]);
	for (unsigned i = 0; i < r->nderived; i++)
		rc |= col_add(c, r->dkey[i]);
	if (rc)
		fprintf(stderr, "collect: out of memory\n");
	log->records++;
	return rc;
}

struct writer {
	const struct columns *cols;
	const char **cell;    /* one row, by column */
	FILE *f;
	size_t records;       /* of the log being written */
};

static int put_cell(struct writer *w, const char *key, const char *val)
{
	long i = col_find(w->cols, key);

	if (i < 0)
		return -1;
	w->cell[i] = val;
	return 0;
}

static void write_row(FILE *f, const char *const *cell, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_put(f, cell[i]);
	}
	fputc('\n', f);
}

/* Second reading: each record straight to its CSV row. A key the first reading did
 * not see means the log changed in between; the output is then abandoned. */
static int write_record(void *ctx, struct log *log, const struct record *r)
{
	struct writer *w = ctx;
	int bad = 0;

	for (size_t i = 0; i < w->cols->n; i++)
		w->cell[i] = "";
	for (unsigned i = 1; i < r->n; i++)
		bad |= put_cell(w, r->key[i], r->val[i]);
	for (unsigned i = 0; i < r->nderived; i++)
		bad |= put_cell(w, r->dkey[i], r->dval[i]);
	bad |= put_cell(w, "job", log->job) | put_cell(w, "log", log->path);
	if (bad || ++w->records > log->records) {
		fprintf(stderr, "collect: %s changed while being read\n", log->path);
		return -1;
	}
	write_row(w->f, w->cell, w->cols->n);
	return 0;
}

static int write_csv(const char *path, const struct columns *cols, struct log *logs,
		     int nlogs)
{
	struct atomic_file out;
	struct writer w = { .cols = cols, .cell = calloc(cols->n, sizeof(*w.cell)) };
	unsigned ignored = 0;
	int rc = 0;

	if (!w.cell || atomic_open(&out, path)) {
		fprintf(stderr, "collect: %s: %s\n", path, w.cell ? strerror(errno) : "out of memory");
		free(w.cell);
		return -1;
	}
	w.f = out.f;
	write_row(out.f, (const char *const *)cols->name, cols->n);
	for (int i = 0; i < nlogs && !rc; i++) {
		w.records = 0;
		rc = each_record(&logs[i], false, &ignored, write_record, &w);
		if (!rc && w.records != logs[i].records) {
			fprintf(stderr, "collect: %s changed while being read\n", logs[i].path);
			rc = -1;
		}
	}
	if (rc)
		atomic_abort(&out);
	else if (ferror(out.f) || atomic_commit(&out)) {
		fprintf(stderr, "collect: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	free(w.cell);
	return rc;
}

static int collect(int argc, char **argv, bool write)
{
	struct columns cols = { 0 };
	struct log *logs;
	const char *path = "-";
	size_t records = 0;
	unsigned bad = 0;
	int i = 0, nlogs, rc = 0;

	if (write && argc >= 1 && !strcmp(argv[0], "-o")) {
		if (argc < 2)
			return fprintf(stderr, "collect: -o needs a file (see --help)\n"), 2;
		path = argv[1];
		i = 2;
	}
	nlogs = argc - i;
	if (!nlogs) {
		fprintf(stderr, "collect: no log files given (see --help)\n");
		return 2;
	}
	logs = calloc((size_t)nlogs, sizeof(*logs));
	for (unsigned k = 0; logs && k < NFIXED && !rc; k++)
		rc = col_add(&cols, fixed[k]);
	for (int k = 0; logs && k < nlogs && !rc; k++) {
		logs[k].path = argv[i + k];
		if (!(logs[k].job = job_name(logs[k].path)))
			rc = -1;
	}
	if (!logs || rc) {
		fprintf(stderr, "collect: out of memory\n");
		rc = 2;
		goto out;
	}
	/* Every log is read before anything is written; one that cannot be read (missing,
	 * a directory, an I/O error) ends the collector with the output untouched. */
	for (int k = 0; k < nlogs; k++) {
		rc |= each_record(&logs[k], true, &bad, learn_columns, &cols);
		records += logs[k].records;
	}
	if (rc || col_add(&cols, "job") || col_add(&cols, "log")) {
		fprintf(stderr, "collect: nothing written%s%s\n", write ? " to " : "", write ? path : "");
		rc = 2;
		goto out;
	}
	fprintf(stderr, "collect: %zu records from %d log(s)", records, nlogs);
	if (bad)
		fprintf(stderr, ", %u malformed", bad);
	fputc('\n', stderr);
	if (write && write_csv(path, &cols, logs, nlogs))
		rc = 2;
	else if (!write && !records && !bad) {
		fprintf(stderr, "collect: no records at all\n");
		rc = 1;
	}
	if (!rc && bad)
		rc = 3;
out:
	for (int k = 0; logs && k < nlogs; k++)
		free(logs[k].job);
	free(logs);
	free_columns(&cols);
	return rc;
}

static void usage(FILE *f)
{
	fputs("Usage: collect csv [-o FILE.csv] LOG...\n"
	      "       collect check LOG...\n"
	      "       collect table CSV --rows COL[:bytes] --series COL[,COL...] --value EXPR[,EXPR...]\n"
	      "                     [--where COL=GLOB]... [--pick max:COL[:bytes]] [--format dat|tex]\n"
	      "                     [--digits N]\n"
	      "       collect value CSV --value EXPR [--where COL=GLOB]... [--digits N]\n"
	      "       collect values CSV < QUERIES\n"
	      "       collect distinct CSV --col COL [--where COL=GLOB]...\n"
	      "\n"
	      "csv    parses the '@nb v=1 ...' records of console logs into one CSV (stdout, or\n"
	      "       FILE.csv written atomically). params= and hv= lists also become columns\n"
	      "       p.KEY and hv.KEY; column log names the source file, job its folder.\n"
	      "       A LOG that cannot be read (missing, a directory) stops it before FILE.csv\n"
	      "       is touched.\n"
	      "check  the same parse, without output.\n"
	      "       Both report each malformed record as LOG:LINE and exit 3 if there was one\n"
	      "       (the CSV then holds the well-formed ones).\n"
	      "table  a wide table for gnuplot (missing cells '?') or LaTeX: one line per value of\n"
	      "       --rows, one column group per --series combination, one column per --value.\n"
	      "       A cell that two records fill is an error unless --pick keeps the one with\n"
	      "       the largest COL. EXPR is a column or COL/COL. ':bytes' reads 4K, 1M, 1G.\n"
	      "       At most 8 --value expressions, 8 --series columns, 16 --where.\n"
	      "       --digits N (0-17) prints numbers with N decimals (COL/COL: 2 by default).\n"
	      "value  the one value EXPR of the one record --where selects (else an error).\n"
	      "values many value queries, one per line of stdin: DIGITS EXPR [COL=GLOB]...; each\n"
	      "       answered by a line 'VALUE EXACT' (DIGITS and 9 decimals) or '!' (an error,\n"
	      "       said on stderr). Exit status 1 if any was '!'.\n"
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
	    !strcmp(argv[1], "values") || !strcmp(argv[1], "distinct"))
		return query_main(argv[1], argc - 2, argv + 2);
	fprintf(stderr, "collect: unknown command '%s' (see --help)\n", argv[1]);
	return 2;
}
