/* report.c - see report.h. */
#include <stdarg.h>
#include "printf.h"
#include "report.h"

struct report_counts report_counts;

void report(int verdict, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (verdict == REPORT_SKIP) {
		printf("SKIP %s: ", name);
		report_counts.skipped++;
	} else if (verdict) {
		printf("PASS %s: ", name);
		report_counts.passed++;
	} else {
		printf("FAIL %s: ", name);
		report_counts.failed++;
	}
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}
