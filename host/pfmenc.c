/* pfmenc.c - encodes PMU event names into the raw codes the bench guest programs into
 * IA32_PERFEVTSELx. The default output is the guest's command-line argument,
 * events=0xCODE@NAME,... (README, tests/integration/bench-counters.sh); --lines
 * prints "NAME 0xCODE" per event for people and scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pfm.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: pfmenc [--pmu NAME] [--lines] [EVENT...]\n"
		"       pfmenc --list\n"
		"Encodes libpfm4 event names into raw IA32_PERFEVTSELx codes (user and kernel\n"
		"mode) and prints events=0xCODE@NAME,... for the bench guest's command line.\n"
		"  --pmu NAME  encode for this libpfm4 core PMU (see --list), whatever this\n"
		"              machine has; bare EVENT names get the NAME:: prefix\n"
		"  --lines     print one \"NAME 0xCODE\" line per event instead\n"
		"  --list      the PMUs with a default event set, and the sets\n"
		"Without EVENTs, the default TLB/EPT set of the PMU (--pmu, or this machine's).\n"
		"An EVENT is PMU::EVENT:UMASK[:MOD...] or, with a PMU known, EVENT:UMASK.\n"
		"Exit status: 0; 1 for an unknown event or PMU; 2 for bad usage; 77 when no PMU\n"
		"was given and this machine has none with a default set.\n");
}

static int list(void)
{
	const char *host = pfm_host_pmu();

	for (const char *const *p = pfm_known_pmus; *p; p++) {
		printf("%s%s:", *p, host && !strcmp(host, *p) ? " (this machine)" : "");
		for (const char *const *e = pfm_default_events(*p); *e; e++)
			printf(" %s", *e);
		printf("\n");
	}
	if (!host)
		printf("(no PMU detected on this machine)\n");
	else if (!pfm_default_events(host))
		printf("(this machine: %s, no default set)\n", host);
	return 0;
}

int main(int argc, char **argv)
{
	const char *pmu = NULL;
	const char **events = calloc((size_t)argc, sizeof(*events));
	int n = 0, lines = 0, bare = 0;

	if (!events)
		return 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--list")) {
			return list();
		} else if (!strcmp(argv[i], "--lines")) {
			lines = 1;
		} else if (!strcmp(argv[i], "--pmu") && i + 1 < argc) {
			pmu = argv[++i];
		} else if (!strncmp(argv[i], "--pmu=", 6) && argv[i][6]) {
			pmu = argv[i] + 6;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "pfmenc: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			bare |= !strstr(argv[i], "::");
			events[n++] = argv[i];
		}
	}
	/* The usual case is encoding here for another machine's core (an Intel testbed),
	 * and libpfm4 allows that only when told before it initialises. It does not
	 * change what counts as this machine's PMU. */
	setenv("LIBPFM_ENCODE_INACTIVE", "1", 1);
	if (!pmu && (!n || bare)) {
		const char *host = pfm_host_pmu();
		if (!host) {
			fprintf(stderr, "pfmenc: no PMU detected on this machine; give --pmu (e.g. "
					"--pmu skl) to encode for another\n");
			return 77;
		}
		if (!n && !pfm_default_events(host)) {
			fprintf(stderr, "pfmenc: this machine's PMU is %s, which has no default "
					"set (see --list); give --pmu or EVENTs\n", host);
			return 77;
		}
		pmu = host;
	}
	if (!n) {
		const char *const *set = pfm_default_events(pmu);
		if (!set) {
			fprintf(stderr, "pfmenc: no default event set for PMU '%s' (see --list)\n",
				pmu);
			return 1;
		}
		for (; set[n]; n++)
			events[n] = set[n];
	}
	/* Encode everything first, so that an error leaves no partial output behind. */
	char (*names)[256] = calloc((size_t)n, sizeof(*names));
	uint64_t *codes = calloc((size_t)n, sizeof(*codes));
	if (!names || !codes)
		return 1;
	for (int i = 0; i < n; i++) {
		char err[512];
		int qualified = strstr(events[i], "::") != NULL;
		if (snprintf(names[i], sizeof(names[i]), "%s%s%s", qualified ? "" : pmu,
			     qualified ? "" : "::", events[i]) >= (int)sizeof(names[i])) {
			fprintf(stderr, "pfmenc: event name too long: %s\n", events[i]);
			return 1;
		}
		if (pfm_encode_raw(names[i], &codes[i], err, sizeof(err))) {
			fprintf(stderr, "pfmenc: %s\n", err);
			return 1;
		}
	}
	for (int i = 0; i < n; i++) {
		if (lines)
			printf("%s 0x%llx\n", names[i], (unsigned long long)codes[i]);
		else
			printf("%s0x%llx@%s", i ? "," : "events=", (unsigned long long)codes[i],
			       names[i]);
	}
	if (!lines)
		printf("\n");
	free(names);
	free(codes);
	free(events);
	return 0;
}
