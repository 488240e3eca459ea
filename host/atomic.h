/* atomic.h - write a file so that readers see the old one or the whole new one.
 *
 * The results store never shows a half-written CSV: output goes to a temporary file
 * beside the target, is flushed to disk, and is renamed over the target only when
 * complete. A crash leaves at most a stray "*.tmp.PID", never a truncated result. */
#ifndef NB_ATOMIC_H
#define NB_ATOMIC_H

#include <stdio.h>

struct atomic_file {
	FILE *f;
	char tmp[4096], path[4096];
};

/* Opens the temporary file for path ("-" writes to stdout directly). Returns 0 or -1
 * with errno set. */
int atomic_open(struct atomic_file *a, const char *path);
/* Flushes, syncs and renames into place. Returns 0, or -1 (the target is untouched). */
int atomic_commit(struct atomic_file *a);
/* Drops the temporary file; the target is untouched. */
void atomic_abort(struct atomic_file *a);

#endif
