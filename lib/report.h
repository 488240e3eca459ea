/* report.h - one "PASS|FAIL|SKIP name: detail" line per check, for kernels that test
 * things (smoke, chaos). The integration tests read exactly this format. */
#ifndef NB_REPORT_H
#define NB_REPORT_H

#define REPORT_FAIL 0
#define REPORT_PASS 1
#define REPORT_SKIP 2

struct report_counts {
	unsigned passed, failed, skipped;
};
extern struct report_counts report_counts;

/* verdict: a truth value (nonzero = pass) or REPORT_SKIP. */
__attribute__((format(printf, 3, 4)))
void report(int verdict, const char *name, const char *fmt, ...);

#endif
