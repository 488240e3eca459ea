/* perf_counters.c - the native runner's hardware counters: libpfm4 turns each event
 * name into a perf_event_attr (PFM_OS_PERF_EVENT), perf_event_open opens it for this
 * process in user mode, and the framework (bench.h, struct bench_counters) starts and
 * reads them around a loop. Where any step fails - no PMU on this machine, an event
 * this core does not have - the counters are marked unsupported with the reason; no
 * count is ever made up. */
#define _GNU_SOURCE
#include <errno.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "perf_counters.h"

static int fds[BENCH_MAX_COUNTERS];
static struct bench_counters counters;
static char reason[160];

static void start(void)
{
	for (unsigned i = 0; i < counters.n; i++) {
		ioctl(fds[i], PERF_EVENT_IOC_RESET, 0);
		ioctl(fds[i], PERF_EVENT_IOC_ENABLE, 0);
	}
}

static void stop(uint64_t *vals)
{
	for (unsigned i = 0; i < counters.n; i++) {
		ioctl(fds[i], PERF_EVENT_IOC_DISABLE, 0);
		if (read(fds[i], &vals[i], sizeof(vals[i])) != sizeof(vals[i]))
			vals[i] = 0;
	}
}

static const struct bench_counters *fail(const char *fmt, const char *name, const char *what)
{
	snprintf(reason, sizeof(reason), fmt, name, what);
	for (unsigned i = 0; i < counters.n; i++)
		if (fds[i] > 0)
			close(fds[i]);
	counters.unsupported = reason;
	return &counters;
}

const struct bench_counters *perf_counters_open(char *list)
{
	char *save = NULL;
	int r;

	counters = (struct bench_counters){ .start = start, .stop = stop };
	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		if (counters.n == BENCH_MAX_COUNTERS) {
			snprintf(reason, sizeof(reason), "at most %d events", BENCH_MAX_COUNTERS);
			counters.unsupported = reason;
			return &counters;
		}
		counters.names[counters.n++] = name;
	}
	if ((r = pfm_initialize()) != PFM_SUCCESS)
		return fail("libpfm4 initialisation failed (%s%s)", pfm_strerror(r), "");
	for (unsigned i = 0; i < counters.n; i++) {
		struct perf_event_attr attr;
		pfm_perf_encode_arg_t arg;
		memset(&attr, 0, sizeof(attr));
		memset(&arg, 0, sizeof(arg));
		arg.attr = &attr;
		arg.size = sizeof(arg);
		r = pfm_get_os_event_encoding(counters.names[i], PFM_PLM3, PFM_OS_PERF_EVENT, &arg);
		if (r != PFM_SUCCESS)
			return fail("%s: %s", counters.names[i], pfm_strerror(r));
		attr.disabled = 1;
		attr.exclude_kernel = 1;
		attr.exclude_hv = 1;
		fds[i] = (int)perf_event_open(&attr, 0, -1, -1, 0);
		if (fds[i] < 0)
			return fail("%s: perf_event_open: %s", counters.names[i], strerror(errno));
	}
	return &counters;
}
