/* build_path.h - for unit tests that read a build product (a real guest kernel):
 * the path of build/REL, worked out from the test binary's own path
 * (build/tests/unit/test_X), so a test runs from any directory. */
#ifndef NB_TEST_BUILD_PATH_H
#define NB_TEST_BUILD_PATH_H

#include <stdio.h>

/* build/REL beside argv0's build/tests/unit/, or NULL when argv0 has no '/'. */
static inline const char *build_path(const char *argv0, const char *rel)
{
	static char path[4096];
	const char *slash = NULL;

	for (const char *p = argv0 ? argv0 : ""; *p; p++)
		if (*p == '/')
			slash = p;
	if (!slash || (size_t)snprintf(path, sizeof(path), "%.*s/../../%s",
				       (int)(slash - argv0), argv0, rel) >= sizeof(path))
		return NULL;
	return path;
}

#endif
