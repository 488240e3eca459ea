/* pfm.h - PMU event names to raw IA32_PERFEVTSELx codes with libpfm4, and the default
 * event set per question and core (DESIGN.md "Counters"). */
#ifndef NB_PFM_H
#define NB_PFM_H

#include <stddef.h>
#include <stdint.h>

/* Encodes a fully qualified name ("skl::DTLB_LOAD_MISSES:WALK_COMPLETED") for user
 * and kernel mode. Returns 0, or -1 with libpfm4's reason in err. Encoding for a PMU
 * this machine does not have needs LIBPFM_ENCODE_INACTIVE=1 before the first call. */
int pfm_encode_raw(const char *event, uint64_t *code, char *err, size_t errlen);

/* The default events for a libpfm4 core PMU name (hsw, bdw, skl, skx, clx, icl, spr):
 * DTLB walks completed, walk cycles, STLB hits, ITLB walks, and EPT walk cycles where
 * the core has them. NULL-terminated; NULL for a PMU without a default set. */
const char *const *pfm_default_events(const char *pmu);

/* Each PMU that has a default set, NULL-terminated. */
extern const char *const pfm_known_pmus[];

/* libpfm4's name for this machine's core PMU, or NULL when it has none. */
const char *pfm_host_pmu(void);

#endif
