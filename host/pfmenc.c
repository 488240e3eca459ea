/* pfmenc.c - encodes PMU event names into the raw codes the bench guest programs, in
 * the form its command line takes: events=0xCODE@NAME,... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pfm.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: pfmenc [--pmu NAME] [--list] [EVENT...]\n"
		   "Prints events=0xCODE@NAME,... for the bench guest's command line.\n"
		   "  --pmu NAME  encode for this libpfm4 core PMU (hsw, bdw, skl, skx, clx, icl, spr)\n"
		   "              even when this machine has another or none; bare EVENT names\n"
		   "              get the NAME:: prefix\n"
		   "  --list      the PMUs with a default event set, and the sets\n"
		   "Without EVENTs, the default set for the PMU (--pmu, or this machine's).\n"
		   "Exit status: 0; 1 for an unknown event; 77 when there is no PMU to encode for.\n");
}

int main(int argc, char **argv)
{
	const char *pmu = NULL;
	int first = argc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--list")) {
			for (const char *const *p = pfm_known_pmus; *p; p++) {
				printf("%s:", *p);
				for (const char *const *e = pfm_default_events(*p); *e; e++)
					printf(" %s", *e);
				printf("\n");
			}
			return 0;
		} else if (!strcmp(argv[i], "--pmu") && i + 1 < argc) {
			pmu = argv[++i];
		} else if (argv[i][0] == '-') {
			usage(stderr);
			return 2;
		} else {
			first = i;
			break;
		}
	}
	/* Encoding for a PMU other than this machine's must be allowed before libpfm4
	 * initialises. */
	if (pmu)
		setenv("LIBPFM_ENCODE_INACTIVE", "1", 1);
	else if (!(pmu = pfm_host_pmu())) {
		fprintf(stderr, "pfmenc: no PMU detected on this machine; give --pmu (e.g. --pmu skl) "
				"to encode for another\n");
		return 77;
	}
	const char *const *events = (const char *const *)argv + first;
	int n = argc - first;
	if (!n) {
		if (!(events = pfm_default_events(pmu))) {
			fprintf(stderr, "pfmenc: no default event set for PMU '%s' (see --list)\n", pmu);
			return 1;
		}
		for (n = 0; events[n]; n++)
			;
	}
	/* Encode everything first: an error leaves no half line behind. */
	char line[4096] = "events=";
	size_t len = strlen(line);
	for (int i = 0; i < n; i++) {
		char name[256], err[256];
		uint64_t code;
		snprintf(name, sizeof(name), "%s%s%s", strstr(events[i], "::") ? "" : pmu,
			 strstr(events[i], "::") ? "" : "::", events[i]);
		if (pfm_encode_raw(name, &code, err, sizeof(err))) {
			fprintf(stderr, "pfmenc: %s\n", err);
			return 1;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s0x%llx@%s", i ? "," : "",
					(unsigned long long)code, name);
		if (len >= sizeof(line)) {
			fprintf(stderr, "pfmenc: too many events\n");
			return 1;
		}
	}
	puts(line);
	return 0;
}
