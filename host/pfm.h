/* pfm.h - PMU event names to raw IA32_PERFEVTSELx codes with libpfm4, and the default
 * TLB/EPT event set per Intel core (pfm.c; their use: docs/method.md). */
#ifndef NB_PFM_H
#define NB_PFM_H

#include <stddef.h>
#include <stdint.h>

/* Encodes a fully qualified name ("skl::DTLB_LOAD_MISSES:WALK_COMPLETED") for user
 * and kernel mode into the raw event-select value (USR|OS|INT|EN included), e.g.
 * 0x530e08. Returns 0, or -1 with the reason in err: libpfm4's (unknown event or
 * attribute), or an event the guest cannot program with one IA32_PERFEVTSELx write
 * (an uncore or OS PMU's, or one needing an extra MSR). Encoding for a PMU this
 * machine does not have needs LIBPFM_ENCODE_INACTIVE=1 in the environment before the
 * first call of any function here. */
int pfm_encode_raw(const char *event, uint64_t *code, char *err, size_t errlen);

/* The default events for a libpfm4 core PMU name (see pfm_known_pmus): DTLB load
 * walks completed, walk cycles, STLB hits, ITLB walks completed, and EPT walk cycles
 * where the core has them. Fully qualified, NULL-terminated; NULL for a PMU without
 * a default set. */
const char *const *pfm_default_events(const char *pmu);

/* Each PMU that has a default set, NULL-terminated: hsw, hsw_ep, bdw, bdw_ep, skl,
 * skx, clx, icl, icx, spr (libpfm4 4.13's names). */
extern const char *const pfm_known_pmus[];

/* libpfm4's name for this machine's core PMU (the model's own in preference to the
 * architectural ix86arch), or NULL when it has none. LIBPFM_FORCE_PMU overrides it. */
const char *pfm_host_pmu(void);

#endif
