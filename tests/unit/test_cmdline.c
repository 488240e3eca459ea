/* test_cmdline.c - unit tests for the command-line parser (lib/cmdline.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cmdline.h"

/* What GRUB and QEMU actually hand over: the image path comes first. */
#define BOOT "/boot/smoke.elf ept=2m vpid=on"

static const char *const onoff[] = { "off", "on" };
static const char *const known[] = { "ept", "vpid", "iters", NULL };

static void test_get_returns_value(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(cmdline_get("ept=2m vpid=on", "vpid", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "on");
	assert_int_equal(cmdline_get("ept=2m vpid=on", "ept", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "2m");
}

static void test_get_skips_image_path_first_word(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(cmdline_get(BOOT, "ept", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "2m");
	assert_false(cmdline_has(BOOT, "/boot/smoke.elf"));
}

static void test_first_word_with_equals_is_an_option(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(cmdline_get("iters=5", "iters", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "5");
}

static void test_value_may_contain_equals(void **state)
{
	char buf[16];

	(void)state;
	/* Only the first '=' splits key from value. */
	assert_int_equal(cmdline_get("img a=b=c", "a", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "b=c");
	assert_false(cmdline_has("img a=b=c", "a=b"));
}

static void test_last_occurrence_wins(void **state)
{
	char buf[8];
	uint64_t v = 0;

	(void)state;
	assert_int_equal(cmdline_get("k ept=4k vpid=on ept=1g", "ept", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "1g");
	/* Last wins even when the last one is malformed: no silent fallback. */
	assert_int_equal(cmdline_get_u64("k iters=5 iters=x", "iters", &v), -2);
}

static void test_missing_key_is_absent(void **state)
{
	char buf[8];
	uint64_t v = 99;
	int idx = 7;

	(void)state;
	assert_int_equal(cmdline_get(BOOT, "iters", buf, sizeof(buf)), -1);
	assert_false(cmdline_has(BOOT, "iters"));
	assert_int_equal(cmdline_get_u64(BOOT, "iters", &v), -1);
	assert_int_equal(v, 99);
	assert_int_equal(cmdline_get_choice(BOOT, "iters", onoff, 2, &idx), -1);
	assert_int_equal(idx, 7);
}

static void test_key_must_match_whole_key(void **state)
{
	(void)state;
	assert_false(cmdline_has("img eptx=1", "ept"));
	assert_false(cmdline_has("img ept=1", "ep"));
	assert_false(cmdline_has("img ept=1", "ept=1"));
	assert_true(cmdline_has("img ept=1", "ept"));
}

static void test_has_accepts_empty_value_not_bare_word(void **state)
{
	char buf[4];

	(void)state;
	assert_true(cmdline_has("img quiet=", "quiet"));
	assert_int_equal(cmdline_get("img quiet=", "quiet", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_false(cmdline_has("img quiet", "quiet"));
}

static void test_get_value_too_long_for_buffer(void **state)
{
	char buf[8];

	(void)state;
	/* Needs len + 1 bytes for the terminator: 3 bytes is one too few for "abc". */
	assert_int_equal(cmdline_get("img k=abc", "k", buf, 3), -1);
	assert_string_equal(buf, "");
	assert_int_equal(cmdline_get("img k=abc", "k", buf, 4), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(cmdline_get("img k=abc", "k", NULL, 0), -1);
}

static void test_words_split_on_tabs_and_runs_of_spaces(void **state)
{
	const char *line = "  \t/boot/x.elf \t  ept=2m\t\tvpid=on   \t";
	char buf[8];

	(void)state;
	assert_int_equal(cmdline_get(line, "ept", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "2m");
	assert_int_equal(cmdline_get(line, "vpid", buf, sizeof(buf)), 2);
	assert_string_equal(buf, "on");
	assert_int_equal(cmdline_validate(line, known, buf, sizeof(buf)), 0);
}

static void test_empty_and_null_cmdline(void **state)
{
	char buf[8], bad[8];
	uint64_t v = 5;

	(void)state;
	assert_int_equal(cmdline_get("", "ept", buf, sizeof(buf)), -1);
	assert_int_equal(cmdline_get(NULL, "ept", buf, sizeof(buf)), -1);
	assert_false(cmdline_has(NULL, "ept"));
	assert_false(cmdline_has("   \t ", "ept"));
	assert_int_equal(cmdline_get_u64(NULL, "ept", &v), -1);
	assert_int_equal(cmdline_validate(NULL, known, bad, sizeof(bad)), 0);
	assert_int_equal(cmdline_validate("", known, bad, sizeof(bad)), 0);
	assert_int_equal(v, 5);
}

static void test_u64_decimal(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(cmdline_get_u64("img iters=1000", "iters", &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(cmdline_get_u64("img iters=0", "iters", &v), 0);
	assert_int_equal(v, 0);
	/* A leading zero is still decimal, not octal. */
	assert_int_equal(cmdline_get_u64("img iters=010", "iters", &v), 0);
	assert_int_equal(v, 10);
}

static void test_u64_hex(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(cmdline_get_u64("img base=0x1000", "base", &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(cmdline_get_u64("img base=0XdeadBEEF", "base", &v), 0);
	assert_int_equal(v, 0xdeadbeef);
}

static void test_u64_suffixes_are_binary(void **state)
{
	static const struct { const char *s; uint64_t v; } cases[] = {
		{ "4k", 4096 }, { "4K", 4096 }, { "2m", 2ULL << 20 }, { "2M", 2ULL << 20 },
		{ "1g", 1ULL << 30 }, { "3G", 3ULL << 30 }, { "0x10k", 16 << 10 },
		{ "0k", 0 }, { "16777215g", 16777215ULL << 30 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;

		assert_int_equal(parse_u64(cases[i].s, strlen(cases[i].s), &v), 0);
		assert_int_equal(v, cases[i].v);
	}
}

static void test_u64_limits_and_overflow(void **state)
{
	static const char *const over[] = {
		"18446744073709551616", "99999999999999999999", "0x10000000000000000",
		"17179869184g", "18014398509481984k", "0x400000000000000k",
	};
	uint64_t v = 0;
	size_t i;

	(void)state;
	assert_int_equal(parse_u64("18446744073709551615", 20, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("0xffffffffffffffff", 18, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("17179869183g", 12, &v), 0);
	assert_true(v == 17179869183ULL << 30);
	for (i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		v = 42;
		assert_int_equal(parse_u64(over[i], strlen(over[i]), &v), -2);
		assert_int_equal(v, 42);	/* untouched, so a default survives */
	}
}

static void test_u64_malformed(void **state)
{
	static const char *const bad[] = {
		"", "0x", "k", "0xk", "1kk", "12x", "-1", "+1", "1.5", "1 ", "0xg1", "1t",
		"0x1h", "g1",
	};
	uint64_t v = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_u64(bad[i], strlen(bad[i]), &v) != -2)
			fail_msg("\"%s\" accepted", bad[i]);
	assert_int_equal(v, 42);
	assert_int_equal(cmdline_get_u64("img iters=", "iters", &v), -2);
	assert_int_equal(cmdline_get_u64("img iters=lots", "iters", &v), -2);
}

static void test_parse_u64_honours_len(void **state)
{
	uint64_t v;

	(void)state;
	/* The value is a slice of the command line, not a C string. */
	assert_int_equal(parse_u64("123abc", 3, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(parse_u64("2mXYZ", 2, &v), 0);
	assert_int_equal(v, 2 << 20);
	assert_int_equal(parse_u64(NULL, 0, &v), -2);
}

static void test_choice_found(void **state)
{
	int idx = -1;

	(void)state;
	assert_int_equal(cmdline_get_choice(BOOT, "vpid", onoff, 2, &idx), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(cmdline_get_choice("img vpid=off", "vpid", onoff, 2, &idx), 0);
	assert_int_equal(idx, 0);
}

static void test_choice_rejects_non_member(void **state)
{
	int idx = 7;

	(void)state;
	assert_int_equal(cmdline_get_choice("img vpid=yes", "vpid", onoff, 2, &idx), -2);
	/* Prefixes and case variants are not matches. */
	assert_int_equal(cmdline_get_choice("img vpid=o", "vpid", onoff, 2, &idx), -2);
	assert_int_equal(cmdline_get_choice("img vpid=onn", "vpid", onoff, 2, &idx), -2);
	assert_int_equal(cmdline_get_choice("img vpid=ON", "vpid", onoff, 2, &idx), -2);
	assert_int_equal(cmdline_get_choice("img vpid=", "vpid", onoff, 2, &idx), -2);
	/* n limits the search: "on" is index 1, outside choices[0..1). */
	assert_int_equal(cmdline_get_choice("img vpid=on", "vpid", onoff, 1, &idx), -2);
	assert_int_equal(idx, 7);
}

static void test_validate_accepts_known_keys(void **state)
{
	char bad[16] = "junk";

	(void)state;
	assert_int_equal(cmdline_validate(BOOT " iters=3", known, bad, sizeof(bad)), 0);
	assert_string_equal(bad, "");
	assert_int_equal(cmdline_validate("/boot/smoke.elf", known, bad, sizeof(bad)), 0);
	assert_int_equal(cmdline_validate("ept=4k", known, bad, sizeof(bad)), 0);
}

static void test_validate_reports_unknown_key(void **state)
{
	char bad[16];

	(void)state;
	assert_int_equal(cmdline_validate(BOOT " vpdi=on iterz=1", known, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "vpdi=on");
	/* A NULL allow-list allows nothing. */
	assert_int_equal(cmdline_validate("img ept=2m", NULL, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "ept=2m");
}

static void test_validate_reports_stray_bare_word(void **state)
{
	char bad[16];

	(void)state;
	/* "ept 2m" was meant as "ept=2m": the image name is skipped, "ept" is not. */
	assert_int_equal(cmdline_validate("/boot/smoke.elf ept 2m", known, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "ept");
	/* Once an option was seen, no later word can be the image name. */
	assert_int_equal(cmdline_validate("ept=2m kernel", known, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "kernel");
}

static void test_validate_truncates_bad_word(void **state)
{
	char bad[8];

	(void)state;
	memset(bad, 'Z', sizeof(bad));
	assert_int_equal(cmdline_validate("img verylongkey=1", known, bad, 5), -1);
	assert_string_equal(bad, "very");
	assert_int_equal(bad[5], 'Z');
	assert_int_equal(cmdline_validate("img verylongkey=1", known, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_returns_value),
		cmocka_unit_test(test_get_skips_image_path_first_word),
		cmocka_unit_test(test_first_word_with_equals_is_an_option),
		cmocka_unit_test(test_value_may_contain_equals),
		cmocka_unit_test(test_last_occurrence_wins),
		cmocka_unit_test(test_missing_key_is_absent),
		cmocka_unit_test(test_key_must_match_whole_key),
		cmocka_unit_test(test_has_accepts_empty_value_not_bare_word),
		cmocka_unit_test(test_get_value_too_long_for_buffer),
		cmocka_unit_test(test_words_split_on_tabs_and_runs_of_spaces),
		cmocka_unit_test(test_empty_and_null_cmdline),
		cmocka_unit_test(test_u64_decimal),
		cmocka_unit_test(test_u64_hex),
		cmocka_unit_test(test_u64_suffixes_are_binary),
		cmocka_unit_test(test_u64_limits_and_overflow),
		cmocka_unit_test(test_u64_malformed),
		cmocka_unit_test(test_parse_u64_honours_len),
		cmocka_unit_test(test_choice_found),
		cmocka_unit_test(test_choice_rejects_non_member),
		cmocka_unit_test(test_validate_accepts_known_keys),
		cmocka_unit_test(test_validate_reports_unknown_key),
		cmocka_unit_test(test_validate_reports_stray_bare_word),
		cmocka_unit_test(test_validate_truncates_bad_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
