/* counters.c - the bench guest's hardware counters. The host encodes event names
 * with libpfm4 (build/host/pfmenc) and passes events=0xCODE@NAME,... on the command
 * line; here the PMU is probed for real (Bochs advertises one whose MSRs fault) and,
 * if it works, programmed with those codes (lib/pmu.c) around the framework's counted
 * loops. Otherwise every record says counters=unsupported with the reason. */
#include "bench_guest.h"
#include "cmdline.h"
#include "fmt.h"
#include "pmu.h"
#include "string.h"

static struct bench_counters counters;
static struct pmu_info info;
static uint64_t codes[BENCH_MAX_COUNTERS];
static char names[BENCH_MAX_COUNTERS][96];
static char why[128];

static void start(void)
{
	pmu_program(&pmu_hw_ops, &info, codes, counters.n);
}

static void stop(uint64_t *vals)
{
	pmu_stop(&pmu_hw_ops, &info);
	for (unsigned i = 0; i < counters.n; i++)
		if (pmu_read(&pmu_hw_ops, i, &vals[i]))
			vals[i] = 0;
}

/* Parses "0xCODE@NAME,0xCODE@NAME" (names may contain ':' and '=', never ','). */
static int parse(const char *list)
{
	for (const char *p = list; *p;) {
		if (counters.n == BENCH_MAX_COUNTERS)
			return -1;
		const char *end = strchr(p, ','), *at = strchr(p, '@');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		uint64_t code;
		if (!at || at > p + len || parse_u64(p, (size_t)(at - p), &code))
			return -1;
		codes[counters.n] = code;
		size_t nlen = len - (size_t)(at + 1 - p);
		if (nlen >= sizeof(names[0]))
			nlen = sizeof(names[0]) - 1;
		memcpy(names[counters.n], at + 1, nlen);
		names[counters.n][nlen] = 0;
		counters.names[counters.n] = names[counters.n];
		counters.n++;
		p = end ? end + 1 : p + len;
	}
	return 0;
}

const struct bench_counters *guest_counters(const char *cmdline, int *bad)
{
	static char list[512];

	*bad = 0;
	if (cmdline_get(cmdline, "events", list, sizeof(list)) < 0)
		return NULL;
	counters = (struct bench_counters){ .start = start, .stop = stop };
	if (parse(list)) {
		*bad = 1;
		return NULL;
	}
	if (pmu_probe(&pmu_hw_ops, &info, why, sizeof(why)))
		counters.unsupported = why;
	else if (counters.n > info.counters) {
		sformat(why, sizeof(why), "%u events asked, the PMU has %u counters", counters.n,
			info.counters);
		counters.unsupported = why;
	}
	return &counters;
}
