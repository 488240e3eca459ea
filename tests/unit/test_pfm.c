/* host/pfm.c against libpfm4, on this PMU-less AMD machine: golden encodings of TLB
 * and EPT events for Haswell, Skylake, Ice Lake and Sapphire Rapids, the default sets,
 * the refusals, and host PMU detection (forced with LIBPFM_FORCE_PMU).
 *
 * Each golden code is computed by hand from Intel's event tables (EventCode and UMask
 * as Linux carries them in tools/perf/pmu-events/arch/x86/<core>/virtual-memory.json):
 * cmask << 24 | 0x53 << 16 (USR|OS|INT|EN, as libpfm4 sets them) | umask << 8 | event.
 * libpfm4 must agree. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <perfmon/pfmlib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pfm.h"

#define CODE(event, umask, cmask) ((uint64_t)(cmask) << 24 | 0x530000 | (umask) << 8 | (event))

static const struct { const char *name; uint64_t code; } golden[] = {
	/* Haswell: DTLB_LOAD_MISSES 08, EPT 4F, ITLB_MISSES 85. */
	{ "hsw::DTLB_LOAD_MISSES:WALK_COMPLETED", CODE(0x08, 0x0e, 0) },
	{ "hsw::DTLB_LOAD_MISSES:WALK_DURATION", CODE(0x08, 0x10, 0) },
	{ "hsw::DTLB_LOAD_MISSES:STLB_HIT", CODE(0x08, 0x60, 0) },  /* 4K 20 | 2M 40 */
	{ "hsw::EPT:WALK_CYCLES", CODE(0x4f, 0x10, 0) },
	/* Skylake: the same event selects; EPT cycles are WALK_PENDING now. */
	{ "skl::DTLB_LOAD_MISSES:WALK_PENDING", CODE(0x08, 0x10, 0) },
	{ "skl::DTLB_LOAD_MISSES:STLB_HIT", CODE(0x08, 0x20, 0) },
	{ "skl::ITLB_MISSES:WALK_COMPLETED", CODE(0x85, 0x0e, 0) },
	{ "skl::EPT:WALK_PENDING", CODE(0x4f, 0x10, 0) },
	/* Ice Lake: WALK_ACTIVE is WALK_PENDING with cmask 1; no EPT event. */
	{ "icl::DTLB_LOAD_MISSES:WALK_COMPLETED", CODE(0x08, 0x0e, 0) },
	{ "icl::DTLB_LOAD_MISSES:WALK_ACTIVE", CODE(0x08, 0x10, 1) },
	{ "icl::ITLB_MISSES:WALK_COMPLETED", CODE(0x85, 0x0e, 0) },
	/* Sapphire Rapids: DTLB_LOAD_MISSES moved to 12, ITLB_MISSES to 11. */
	{ "spr::DTLB_LOAD_MISSES:WALK_COMPLETED", CODE(0x12, 0x0e, 0) },
	{ "spr::DTLB_LOAD_MISSES:STLB_HIT", CODE(0x12, 0x20, 0) },
	{ "spr::ITLB_MISSES:WALK_COMPLETED", CODE(0x11, 0x0e, 0) },
};

/* Runs pfm_host_pmu() in a child whose libpfm4 initialises with LIBPFM_FORCE_PMU set
 * (libpfm4 reads its environment once per process) and returns what it said. */
static void host_pmu_forced(const char *force, char *out, size_t n)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		pfm_pmu_info_t info = { .size = sizeof(info) };
		/* Already initialised (an earlier test encoded): forcing cannot work. */
		if (pfm_get_pmu_info(PFM_PMU_INTEL_SKL, &info) != PFM_ERR_NOINIT)
			_exit(3);
		setenv("LIBPFM_FORCE_PMU", force, 1);
		const char *pmu = pfm_host_pmu();
		ssize_t len = pmu ? (ssize_t)strlen(pmu) : 0;
		_exit(write(fd[1], pmu ? pmu : "", (size_t)len) == len ? 0 : 4);
	}
	close(fd[1]);
	ssize_t len = read(fd[0], out, n - 1);
	close(fd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		fail_msg("test_host_pmu must run before anything initialises libpfm4");
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	out[len > 0 ? len : 0] = 0;
}

/* Runs first (see host_pmu_forced). The model's PMU wins over the architectural
 * ix86arch; ix86arch alone is still reported (and has no default set). */
static void test_host_pmu(void **state)
{
	(void)state;
	char pmu[64];

	host_pmu_forced("skl", pmu, sizeof(pmu));
	assert_string_equal(pmu, "skl");
	host_pmu_forced("ix86arch", pmu, sizeof(pmu));
	assert_string_equal(pmu, "ix86arch");
	assert_null(pfm_default_events(pmu));
}

static int setup(void **state)
{
	(void)state;
	return setenv("LIBPFM_ENCODE_INACTIVE", "1", 1);
}

static void test_golden_encodings(void **state)
{
	(void)state;
	uint64_t code = 0;
	char err[256];

	/* A Skylake event, encoded whatever this host's PMU (LIBPFM_ENCODE_INACTIVE). */
	assert_int_equal(pfm_encode_raw("skl::DTLB_LOAD_MISSES:WALK_COMPLETED", &code, err,
					sizeof(err)), 0);
	assert_int_equal(code, 0x530e08);
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		if (pfm_encode_raw(golden[i].name, &code, err, sizeof(err)))
			fail_msg("%s: %s", golden[i].name, err);
		if (code != golden[i].code)
			fail_msg("%s: 0x%llx, want 0x%llx", golden[i].name, (unsigned long long)code,
				 (unsigned long long)golden[i].code);
	}
	/* A modifier in the name overrides the default privilege levels: user only. */
	assert_int_equal(pfm_encode_raw("skl::DTLB_LOAD_MISSES:WALK_COMPLETED:u", &code, err,
					sizeof(err)), 0);
	assert_int_equal(code, 0x510e08);
}

static void test_refusals_say_why(void **state)
{
	(void)state;
	uint64_t code = 42;
	char err[256] = "";

	assert_int_equal(pfm_encode_raw("skl::NO_SUCH_EVENT", &code, err, sizeof(err)), -1);
	assert_string_equal(err, "skl::NO_SUCH_EVENT: event not found");
	assert_int_equal(pfm_encode_raw("skl::DTLB_LOAD_MISSES:NO_SUCH_UMASK", &code, err,
					sizeof(err)), -1);
	assert_non_null(strstr(err, "skl::DTLB_LOAD_MISSES:NO_SUCH_UMASK: "));
	/* Ice Lake and Sapphire Rapids count no EPT walk cycles. */
	assert_int_equal(pfm_encode_raw("icl::EPT:WALK_PENDING", &code, err, sizeof(err)), -1);
	assert_int_equal(pfm_encode_raw("spr::EPT:WALK_PENDING", &code, err, sizeof(err)), -1);
	/* Encodable, but not with one IA32_PERFEVTSELx write. */
	assert_int_equal(pfm_encode_raw("skl::OFFCORE_RESPONSE_0:DMND_DATA_RD:L3_MISS", &code,
					err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs 2 registers"));
	assert_int_equal(pfm_encode_raw("perf::PERF_COUNT_HW_CPU_CYCLES", &code, err,
					sizeof(err)), -1);
	assert_non_null(strstr(err, "perf is not a core PMU"));
	assert_int_equal(code, 42);
}

static void test_every_default_set_encodes(void **state)
{
	(void)state;
	int pmus = 0;

	for (const char *const *p = pfm_known_pmus; *p; p++, pmus++) {
		const char *const *set = pfm_default_events(*p);
		assert_non_null(set);
		int n = 0, ept = 0;
		for (; set[n]; n++) {
			uint64_t code;
			char err[256];
			if (pfm_encode_raw(set[n], &code, err, sizeof(err)))
				fail_msg("default set of %s: %s", *p, err);
			/* Fully qualified with its own PMU. */
			assert_int_equal(strncmp(set[n], *p, strlen(*p)), 0);
			assert_int_equal(strncmp(set[n] + strlen(*p), "::", 2), 0);
			ept += strstr(set[n], "::EPT:") != NULL;
		}
		assert_int_equal(n, 4 + ept);
		/* EPT walk cycles exactly where the core has them. */
		int want_ept = !strncmp(*p, "hsw", 3) || !strncmp(*p, "bdw", 3) ||
			       !strcmp(*p, "skl") || !strcmp(*p, "skx") || !strcmp(*p, "clx");
		assert_int_equal(ept, want_ept);
	}
	assert_int_equal(pmus, 10);
	assert_null(pfm_default_events("k8"));
	assert_null(pfm_default_events(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_pmu), /* first: before libpfm4 initialises */
		cmocka_unit_test(test_golden_encodings),
		cmocka_unit_test(test_refusals_say_why),
		cmocka_unit_test(test_every_default_set_encodes),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
