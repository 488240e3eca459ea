/* csv.c - RFC 4180 fields: write with quoting, read a whole file back (csv.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

void csv_put(FILE *f, const char *v)
{
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

/* A growing array of strings. */
struct strv {
	char **v;
	size_t n, cap;
};

static int push(struct strv *s, char *str)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = str;
	return 0;
}

/* Reads one record (which may span lines inside quotes) from f into fields.
 * Returns the number of fields, 0 at the end of the file, -1 on a quoting error. */
static int read_row(FILE *f, struct strv *fields, unsigned *line)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	bool quoted = false, any = false;
	int c, start = (int)fields->n;

	for (;;) {
		c = fgetc(f);
		if (c == EOF && !any) {
			free(buf);
			return 0;
		}
		any = true;
		if (len + 2 > cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 64);
			if (!nb)
				goto fail;
			buf = nb;
		}
		if (quoted) {
			if (c == EOF)
				goto fail;
			if (c == '"') {
				int d = fgetc(f);
				if (d != '"') {
					quoted = false;
					ungetc(d, f);
					continue;
				}
			}
			if (c == '\n')
				(*line)++;
			buf[len++] = (char)c;
			continue;
		}
		if (c == '"' && len == 0) {
			quoted = true;
			continue;
		}
		if (c == ',' || c == '\n' || c == EOF) {
			if (len && buf[len - 1] == '\r' && c != ',')
				len--;
			buf[len] = '\0';
			char *field = strdup(buf);
			if (!field || push(fields, field))
				goto fail;
			len = 0;
			if (c != ',') {
				(*line)++;
				free(buf);
				return (int)fields->n - start;
			}
			continue;
		}
		buf[len++] = (char)c;
	}
fail:
	free(buf);
	return -1;
}

int csv_read(const char *path, struct csv *t, char *err, size_t errlen)
{
	struct strv head = { 0 }, cells = { 0 };
	unsigned line = 1;
	int n;
	FILE *f = fopen(path, "r");

	memset(t, 0, sizeof(*t));
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	n = read_row(f, &head, &line);
	if (n <= 0) {
		snprintf(err, errlen, "%s:1: %s", path, n ? "bad quoting" : "empty file, no header");
		goto fail;
	}
	t->ncols = (unsigned)n;
	for (;;) {
		unsigned at = line;
		n = read_row(f, &cells, &line);
		if (n == 0)
			break;
		if (n != (int)t->ncols) {
			snprintf(err, errlen, "%s:%u: %d fields, the header has %u", path, at, n,
				 t->ncols);
			goto fail;
		}
		t->nrows++;
	}
	fclose(f);
	t->head = head.v;
	t->cell = cells.v;
	return 0;
fail:
	fclose(f);
	for (size_t i = 0; i < head.n; i++)
		free(head.v[i]);
	for (size_t i = 0; i < cells.n; i++)
		free(cells.v[i]);
	free(head.v);
	free(cells.v);
	memset(t, 0, sizeof(*t));
	return -1;
}

void csv_free(struct csv *t)
{
	for (unsigned i = 0; i < t->ncols; i++)
		free(t->head[i]);
	for (size_t i = 0; i < (size_t)t->nrows * t->ncols; i++)
		free(t->cell[i]);
	free(t->head);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

int csv_col(const struct csv *t, const char *name)
{
	for (unsigned i = 0; i < t->ncols; i++)
		if (!strcmp(t->head[i], name))
			return (int)i;
	return -1;
}
