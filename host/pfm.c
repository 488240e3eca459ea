/* pfm.c - see pfm.h. The default sets name the event each core calls walk cycles:
 * WALK_DURATION on Haswell/Broadwell, WALK_PENDING from Skylake on (libpfm4 4.13 has
 * WALK_ACTIVE too, a cmask-1 "cycles with a walk" count; WALK_PENDING sums the walks
 * in flight, which is what a cost per walk needs), and EPT walk cycles where the core
 * counts them: EPT:WALK_CYCLES on hsw/bdw, EPT:WALK_PENDING on skl/skx/clx; Ice Lake
 * and Sapphire Rapids have no EPT event. The server PMUs libpfm4 detects on Xeons
 * (hsw_ep, bdw_ep, icx) have the same core events as their client twins. */
#include <perfmon/pfmlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pfm.h"

#define SET(p, walkcyc, ept) \
	{ p, { p "::DTLB_LOAD_MISSES:WALK_COMPLETED", p "::DTLB_LOAD_MISSES:" walkcyc, \
	       p "::DTLB_LOAD_MISSES:STLB_HIT", p "::ITLB_MISSES:WALK_COMPLETED", ept, NULL } }

static const struct { const char *pmu; const char *events[6]; } sets[] = {
	SET("hsw", "WALK_DURATION", "hsw::EPT:WALK_CYCLES"),
	SET("hsw_ep", "WALK_DURATION", "hsw_ep::EPT:WALK_CYCLES"),
	SET("bdw", "WALK_DURATION", "bdw::EPT:WALK_CYCLES"),
	SET("bdw_ep", "WALK_DURATION", "bdw_ep::EPT:WALK_CYCLES"),
	SET("skl", "WALK_PENDING", "skl::EPT:WALK_PENDING"),
	SET("skx", "WALK_PENDING", "skx::EPT:WALK_PENDING"),
	SET("clx", "WALK_PENDING", "clx::EPT:WALK_PENDING"),
	SET("icl", "WALK_PENDING", NULL),
	SET("icx", "WALK_PENDING", NULL),
	SET("spr", "WALK_PENDING", NULL),
};
const char *const pfm_known_pmus[] = {
	"hsw", "hsw_ep", "bdw", "bdw_ep", "skl", "skx", "clx", "icl", "icx", "spr", NULL
};

/* libpfm4 reads LIBPFM_ENCODE_INACTIVE and LIBPFM_FORCE_PMU here, once per process. */
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

static int pmu_info(pfm_pmu_t pmu, pfm_pmu_info_t *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return pfm_get_pmu_info(pmu, info);
}

int pfm_encode_raw(const char *event, uint64_t *code, char *err, size_t errlen)
{
	pfm_pmu_encode_arg_t arg;
	pfm_event_info_t ev;
	pfm_pmu_info_t pmu;
	uint64_t first;
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
	first = arg.codes[0];
	free(arg.codes);
	/* The guest writes codes[0] to IA32_PERFEVTSELx and nothing else: an event that
	 * needs a second register (OFFCORE_RESPONSE's MSR), or one of an uncore or OS
	 * PMU (perf::cycles encodes as 0), would count something else or nothing. */
	memset(&ev, 0, sizeof(ev));
	ev.size = sizeof(ev);
	if (pfm_get_event_info(arg.idx, PFM_OS_NONE, &ev) != PFM_SUCCESS ||
	    pmu_info(ev.pmu, &pmu) != PFM_SUCCESS) {
		snprintf(err, errlen, "%s: libpfm4 has no information on the event", event);
		return -1;
	}
	if (pmu.type != PFM_PMU_TYPE_CORE) {
		snprintf(err, errlen, "%s: %s is not a core PMU; only core events go in "
			 "IA32_PERFEVTSELx", event, pmu.name);
		return -1;
	}
	if (arg.count != 1) {
		snprintf(err, errlen, "%s: needs %d registers (an extra MSR); the guest programs "
			 "IA32_PERFEVTSELx only", event, arg.count);
		return -1;
	}
	*code = first;
	return 0;
}

const char *const *pfm_default_events(const char *pmu)
{
	for (size_t i = 0; pmu && i < sizeof(sets) / sizeof(sets[0]); i++)
		if (!strcmp(sets[i].pmu, pmu))
			return sets[i].events;
	return NULL;
}

const char *pfm_host_pmu(void)
{
	const char *fallback = NULL;
	pfm_pmu_info_t info;
	char err[128];

	if (init(err, sizeof(err)))
		return NULL;
	/* On Intel libpfm4 activates the architectural PMU (ix86arch, the "default"
	 * one) next to the model's own, and ix86arch has the lower id: skip it unless
	 * it is all there is. The perf:: PMUs are OS ones, never core. */
	for (int p = PFM_PMU_NONE + 1; p < PFM_PMU_MAX; p++) {
		if (pmu_info(p, &info) != PFM_SUCCESS || !info.is_present ||
		    info.type != PFM_PMU_TYPE_CORE)
			continue;
		if (!info.is_dfl)
			return info.name;
		if (!fallback)
			fallback = info.name;
	}
	return fallback;
}
