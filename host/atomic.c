/* atomic.c - temp file, fsync, rename (see atomic.h for why). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"

int atomic_open(struct atomic_file *a, const char *path)
{
	if (!strcmp(path, "-")) {
		a->f = stdout;
		a->tmp[0] = a->path[0] = '\0';
		return 0;
	}
	/* A path cut short would name another file: refuse it instead. */
	if ((size_t)snprintf(a->path, sizeof(a->path), "%s", path) >= sizeof(a->path) ||
	    (size_t)snprintf(a->tmp, sizeof(a->tmp), "%s.tmp.%ld", path, (long)getpid()) >=
		    sizeof(a->tmp)) {
		a->f = NULL;
		errno = ENAMETOOLONG;
		return -1;
	}
	a->f = fopen(a->tmp, "w");
	return a->f ? 0 : -1;
}

int atomic_commit(struct atomic_file *a)
{
	if (a->f == stdout)
		return fflush(stdout) ? -1 : 0;
	/* fsync before rename: after a power cut the name must not point at a file
	 * whose data never reached the disk. */
	if (fflush(a->f) || fsync(fileno(a->f))) {
		atomic_abort(a);
		return -1;
	}
	if (fclose(a->f)) {
		a->f = NULL;
		unlink(a->tmp);
		return -1;
	}
	a->f = NULL;
	if (rename(a->tmp, a->path)) {
		unlink(a->tmp);
		return -1;
	}
	return 0;
}

void atomic_abort(struct atomic_file *a)
{
	if (!a->f || a->f == stdout)
		return;
	fclose(a->f);
	a->f = NULL;
	unlink(a->tmp);
}
