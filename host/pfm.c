/* pfm.c - see pfm.h. The default sets name the event each core calls walk cycles:
 * WALK_DURATION on Haswell/Broadwell, WALK_PENDING from Skylake on, and EPT walk
 * cycles where the core counts them (EPT:WALK_CYCLES on hsw/bdw, EPT:WALK_PENDING on
 * skl/skx/clx; Ice Lake and Sapphire Rapids have none). */
#include <perfmon/pfmlib.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "pfm.h"

#define SET(p, walkcyc, ept) \
	{ p, { p "::DTLB_LOAD_MISSES:WALK_COMPLETED", p "::DTLB_LOAD_MISSES:" walkcyc, \
	       p "::DTLB_LOAD_MISSES:STLB_HIT", p "::ITLB_MISSES:WALK_COMPLETED", ept, NULL } }

static const struct { const char *pmu; const char *events[6]; } sets[] = {
	SET("hsw", "WALK_DURATION", "hsw::EPT:WALK_CYCLES"),
	SET("bdw", "WALK_DURATION", "bdw::EPT:WALK_CYCLES"),
	SET("skl", "WALK_PENDING", "skl::EPT:WALK_PENDING"),
	SET("skx", "WALK_PENDING", "skx::EPT:WALK_PENDING"),
	SET("clx", "WALK_PENDING", "clx::EPT:WALK_PENDING"),
	SET("icl", "WALK_PENDING", NULL),
	SET("spr", "WALK_PENDING", NULL),
};
const char *const pfm_known_pmus[] = { "hsw", "bdw", "skl", "skx", "clx", "icl", "spr", NULL };

static int init(char *err, size_t errlen)
{
	static int done, result;

	if (!done) {
		result = pfm_initialize();
		done = 1;
	}
	if (result != PFM_SUCCESS) {
		snprintf(err, errlen, "libpfm4: %s", pfm_strerror(result));
		return -1;
	}
	return 0;
}

int pfm_encode_raw(const char *event, uint64_t *code, char *err, size_t errlen)
{
	pfm_pmu_encode_arg_t arg;
	int r;

	if (init(err, errlen))
		return -1;
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	r = pfm_get_os_event_encoding(event, PFM_PLM0 | PFM_PLM3, PFM_OS_NONE, &arg);
	if (r != PFM_SUCCESS) {
		snprintf(err, errlen, "%s: %s", event, pfm_strerror(r));
		return -1;
	}
	*code = arg.codes[0];
	free(arg.codes);
	return 0;
}

const char *const *pfm_default_events(const char *pmu)
{
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (!strcmp(sets[i].pmu, pmu))
			return sets[i].events;
	return NULL;
}

const char *pfm_host_pmu(void)
{
	char err[128];
	pfm_pmu_info_t info;

	if (init(err, sizeof(err)))
		return NULL;
	for (int p = PFM_PMU_NONE + 1; p < PFM_PMU_MAX; p++) {
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(p, &info) == PFM_SUCCESS && info.is_present &&
		    info.type == PFM_PMU_TYPE_CORE)
			return info.name;
	}
	return NULL;
}
