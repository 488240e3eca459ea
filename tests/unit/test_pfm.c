/* Golden encodings of TLB and EPT events for Haswell, Skylake, Ice Lake and Sapphire
 * Rapids (event select and umask from Intel's event tables, plus USR|OS|INT|EN =
 * 0x53 in bits 23:16 as libpfm4 sets them, and cmask 1 for WALK_ACTIVE), encoded on
 * this PMU-less AMD machine with LIBPFM_ENCODE_INACTIVE=1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "pfm.h"

static const struct { const char *name; uint64_t code; } golden[] = {
	{ "hsw::DTLB_LOAD_MISSES:WALK_COMPLETED", 0x530e08 },  /* event 08, umask 0e */
	{ "hsw::DTLB_LOAD_MISSES:WALK_DURATION", 0x531008 },   /* umask 10 */
	{ "hsw::EPT:WALK_CYCLES", 0x53104f },                  /* event 4f, umask 10 */
	{ "skl::DTLB_LOAD_MISSES:WALK_COMPLETED", 0x530e08 },  /* DESIGN.md's example */
	{ "skl::DTLB_LOAD_MISSES:STLB_HIT", 0x532008 },
	{ "skl::EPT:WALK_PENDING", 0x53104f },
	{ "skl::ITLB_MISSES:WALK_COMPLETED", 0x530e85 },       /* event 85 */
	{ "icl::DTLB_LOAD_MISSES:WALK_COMPLETED", 0x530e08 },
	{ "icl::DTLB_LOAD_MISSES:WALK_ACTIVE", 0x1531008 },    /* cmask 1 */
	{ "spr::DTLB_LOAD_MISSES:WALK_COMPLETED", 0x530e12 },  /* event moved to 12 */
	{ "spr::DTLB_LOAD_MISSES:STLB_HIT", 0x532012 },
	{ "spr::ITLB_MISSES:WALK_COMPLETED", 0x530e11 },       /* event 11 */
};

static int setup(void **state)
{
	(void)state;
	return setenv("LIBPFM_ENCODE_INACTIVE", "1", 1);
}

static void test_golden_encodings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		uint64_t code = 0;
		char err[256];
		int r = pfm_encode_raw(golden[i].name, &code, err, sizeof(err));
		if (r)
			fail_msg("%s: %s", golden[i].name, err);
		if (code != golden[i].code)
			fail_msg("%s: 0x%llx, want 0x%llx", golden[i].name, (unsigned long long)code,
				 (unsigned long long)golden[i].code);
	}
}

static void test_unknown_event_says_why(void **state)
{
	(void)state;
	uint64_t code;
	char err[256] = "";
	assert_int_equal(pfm_encode_raw("skl::NO_SUCH_EVENT", &code, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "skl::NO_SUCH_EVENT"));
	/* Ice Lake counts no EPT walk cycles. */
	assert_int_equal(pfm_encode_raw("icl::EPT:WALK_PENDING", &code, err, sizeof(err)), -1);
}

static void test_every_default_set_encodes(void **state)
{
	(void)state;
	for (const char *const *p = pfm_known_pmus; *p; p++) {
		const char *const *set = pfm_default_events(*p);
		assert_non_null(set);
		int n = 0;
		for (; set[n]; n++) {
			uint64_t code;
			char err[256];
			if (pfm_encode_raw(set[n], &code, err, sizeof(err)))
				fail_msg("default set of %s: %s", *p, err);
		}
		assert_true(n >= 4);
	}
	assert_null(pfm_default_events("k8"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_encodings),
		cmocka_unit_test(test_unknown_event_says_why),
		cmocka_unit_test(test_every_default_set_encodes),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
