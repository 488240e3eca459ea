/* csv.h - the results CSV: RFC 4180 quoting, a header row, read back whole.
 *
 * Written by the collector from records, read by its queries (figures, the paper's
 * numbers). Fields are quoted only when they hold a comma or a quote; records never
 * contain newlines or quotes, but the reader accepts both, as RFC 4180 allows. */
#ifndef NB_CSV_H
#define NB_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv {
	unsigned ncols, nrows;
	char **head;        /* ncols names */
	char **cell;        /* nrows * ncols values, row-major; "" when empty */
};

/* Writes one field, quoted if it must be. */
void csv_put(FILE *f, const char *v);

/* Reads a whole CSV file; every row must have the header's number of fields.
 * Returns 0, or -1 with "FILE:LINE: reason" in err. */
int csv_read(const char *path, struct csv *t, char *err, size_t errlen);
void csv_free(struct csv *t);

/* The column named name, or -1. */
int csv_col(const struct csv *t, const char *name);

static inline const char *csv_at(const struct csv *t, unsigned row, unsigned col)
{
	return t->cell[(size_t)row * t->ncols + col];
}

#endif
