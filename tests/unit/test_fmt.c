/* test_fmt.c - unit tests for lib/fmt.c, using the host's snprintf as the oracle.
 *
 * Wherever fmt.h promises C99 behaviour the expected output is whatever glibc
 * produces; only the places where fmt.h deliberately differs (%p, NULL %s,
 * unknown conversions) have hand-written expectations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"

/* Both sides get the same arguments, so the compiler checks them once for both.
 * Flag combinations gcc warns about (e.g. '0' with a precision) are left to
 * the run-time matrix below. */
#define SAME(...) do {							\
	char ours_[256], libc_[256];					\
	int n_ours_ = sformat(ours_, sizeof(ours_), __VA_ARGS__);	\
	int n_libc_ = snprintf(libc_, sizeof(libc_), __VA_ARGS__);	\
	assert_string_equal(ours_, libc_);				\
	assert_int_equal(n_ours_, n_libc_);				\
} while (0)

#define EXPECT(want, ...) do {						\
	char ours_[256];						\
	int n_ours_ = sformat(ours_, sizeof(ours_), __VA_ARGS__);	\
	assert_string_equal(ours_, want);				\
	assert_int_equal(n_ours_, (int)strlen(want));			\
} while (0)

static const int64_t edge_values[] = {
	0, 1, -1, 7, 8, 9, 10, 15, 16, 42, -42, 255, 256, 1000, -1000,
	INT8_MIN, INT8_MAX, UINT8_MAX, INT16_MIN, INT16_MAX, UINT16_MAX,
	INT32_MIN, INT32_MAX, (int64_t)UINT32_MAX, 0x123456789abcdefLL,
	INT64_MIN, INT64_MIN + 1, INT64_MAX,
};

static void test_plain_text_and_percent(void **state)
{
	const char *empty = "";

	(void)state;
	EXPECT("", empty, 0);
	SAME("hello, world");
	SAME("100%%");
	SAME("%%d%%");
	SAME("a%cb", 'x');
}

static void test_signed_decimal_matches_libc(void **state)
{
	(void)state;
	SAME("%d", 0);
	SAME("%d", -1);
	SAME("%i", 12345);
	SAME("%d", INT_MIN);
	SAME("%d", INT_MAX);
	SAME("%ld", LONG_MIN);
	SAME("%lld", (long long)INT64_MIN);
	SAME("%lld", (long long)INT64_MAX);
	SAME("%d|%d|%d", 1, -2, 3);
}

static void test_unsigned_hex_octal_match_libc(void **state)
{
	(void)state;
	SAME("%u", 0u);
	SAME("%u", UINT_MAX);
	SAME("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	SAME("%o", 8u);
	SAME("%llu", (unsigned long long)UINT64_MAX);
	SAME("%llx", (unsigned long long)UINT64_MAX);
	SAME("%llo", (unsigned long long)UINT64_MAX);
	SAME("%#x %#X %#o", 255u, 255u, 8u);
	SAME("%#x %#o", 0u, 0u);
	SAME("%#.0x|%#.0o|%.0u|%.0d", 0u, 0u, 0u, 0);
	SAME("%#.5o|%#.1o", 8u, 8u);
}

static void test_length_modifiers_truncate_like_libc(void **state)
{
	(void)state;
	SAME("%hhd %hhd %hhu %hhx", 200, -129, 300, 0x1ff);
	SAME("%hd %hd %hu %hx", 70000, -32769, 70000, 0x1ffff);
	SAME("%ld %lu %lx", -5L, ULONG_MAX, ULONG_MAX);
	SAME("%zu %zx %zd", (size_t)SIZE_MAX, (size_t)4096, (ptrdiff_t)-3);
	SAME("%td %tu", (ptrdiff_t)PTRDIFF_MIN, (size_t)7);
	SAME("%jd %ju %jx", INTMAX_MIN, UINTMAX_MAX, (uintmax_t)0xabc);
}

static void test_width_precision_and_flags_match_libc(void **state)
{
	(void)state;
	SAME("[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42);
	SAME("[%+5d][%-+5d][%+05d][% 05d]", -42, -42, -42, -42);
	SAME("[%.5d][%8.5d][%-8.5d]", -42, -42, -42);
	SAME("[%#10x][%#-10x][%#010x][%#10.6x]", 0xabu, 0xabu, 0xabu, 0xabu);
	SAME("[%1d][%2d]", 12345, -1);
	SAME("[%20lld][%-25lld][%025lld]", (long long)INT64_MIN,
	     (long long)INT64_MIN, (long long)INT64_MIN);
}

static void test_star_width_and_precision(void **state)
{
	(void)state;
	SAME("[%*d][%-*d]", 6, 42, 6, 42);
	SAME("[%*d]", -6, 42);		/* negative width means left-justify */
	SAME("[%.*d][%.*d]", 4, 7, -1, 7);	/* negative precision is ignored */
	SAME("[%*.*s]", 8, 3, "abcdef");
	SAME("[%0*d]", 5, -3);
}

static void test_strings_and_chars_match_libc(void **state)
{
	(void)state;
	SAME("[%s][%10s][%-10s]", "abc", "abc", "abc");
	SAME("[%.3s][%.0s][%.10s]", "abcdef", "abcdef", "abc");
	SAME("[%8.2s][%-8.2s]", "abcdef", "abcdef");
	SAME("[%c][%3c][%-3c]", 'a', 'b', 'c');
	SAME("[%s]", "");
}

/* Cross product of flags x width x precision x conversion x value: the broad
 * sweep, compared byte for byte with glibc. */
static void test_integer_matrix_matches_libc(void **state)
{
	static const char *const flags[] = {
		"", "-", "0", "+", " ", "#", "-+", "0+", "- ", "0 ", "-#", "0#", "+ ", "-0", "-0+ #",
	};
	static const char *const widths[] = { "", "1", "5", "12", "24" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".22" };
	static const char convs[] = "diuxXo";
	char f[32], ours[128], libc[128];
	size_t a, b, c, d, v;
	unsigned checked = 0;

	(void)state;
	for (a = 0; a < sizeof(flags) / sizeof(flags[0]); a++)
	for (b = 0; b < sizeof(widths) / sizeof(widths[0]); b++)
	for (c = 0; c < sizeof(precs) / sizeof(precs[0]); c++)
	for (d = 0; convs[d]; d++) {
		bool is_signed = convs[d] == 'd' || convs[d] == 'i';

		/* '#' is undefined for d, i and u in C99; skip rather than pin it. */
		if (strchr(flags[a], '#') && (is_signed || convs[d] == 'u'))
			continue;
		snprintf(f, sizeof(f), "<%%%s%s%sll%c>", flags[a], widths[b],
			 precs[c], convs[d]);
		for (v = 0; v < sizeof(edge_values) / sizeof(edge_values[0]); v++) {
			int n_ours, n_libc;

			if (is_signed) {
				long long x = edge_values[v];
				n_ours = sformat(ours, sizeof(ours), f, x);
				n_libc = snprintf(libc, sizeof(libc), f, x);
			} else {
				unsigned long long x = (unsigned long long)edge_values[v];
				n_ours = sformat(ours, sizeof(ours), f, x);
				n_libc = snprintf(libc, sizeof(libc), f, x);
			}
			if (strcmp(ours, libc) != 0 || n_ours != n_libc)
				fail_msg("format \"%s\" value %lld: got \"%s\" (%d), libc \"%s\" (%d)",
					 f, (long long)edge_values[v], ours, n_ours, libc, n_libc);
			checked++;
		}
	}
	assert_true(checked > 10000);
}

static void test_pointer_is_0x_and_16_digits(void **state)
{
	(void)state;
	EXPECT("0x0000000000001234", "%p", (void *)0x1234);
	EXPECT("0x0000000000000000", "%p", (void *)0);
	EXPECT("0xffffffff80000000", "%p", (void *)0xffffffff80000000ull);
	EXPECT("[  0x00000000000000ab]", "[%20p]", (void *)0xab);
	EXPECT("[0x00000000000000ab  ]", "[%-20p]", (void *)0xab);
}

static void test_null_string_prints_null(void **state)
{
	/* volatile: otherwise gcc proves it NULL and rejects the call at compile time. */
	const char *volatile null = NULL;

	(void)state;
	EXPECT("(null)", "%s", null);
	EXPECT("[  (null)]", "[%8s]", null);
	/* Truncated like any other string (glibc would print nothing here). */
	EXPECT("(nu", "%.3s", null);
}

static void test_precision_bounds_string_read(void **state)
{
	/* Not NUL-terminated: %.3s must not look past the third byte. */
	const char raw[3] = { 'x', 'y', 'z' };

	(void)state;
	EXPECT("[xyz]", "[%.3s]", raw);
	EXPECT("[xy]", "[%.*s]", 2, raw);
}

static void test_char_nul_counts_one_byte(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(sformat(buf, sizeof(buf), "a%cb", 0), 3);
	assert_memory_equal(buf, "a\0b\0", 4);
}

static void test_unknown_conversion_copied_verbatim(void **state)
{
	(void)state;
	/* Built at run time so the compiler does not reject the deliberate typos. */
	const char *f1 = "%q", *f2 = "a%-5qb", *f3 = "x%lld%y", *f4 = "tail%";

	EXPECT("%q", f1, 0);
	EXPECT("a%-5qb", f2, 0);
	EXPECT("x-3%y", f3, -3LL);
	EXPECT("tail%", f4, 0);
}

static void test_size_zero_returns_length_writes_nothing(void **state)
{
	char buf[4] = "abc";

	(void)state;
	assert_int_equal(sformat(NULL, 0, "%d-%s", 12345, "xyz"), 9);
	assert_int_equal(sformat(buf, 0, "%d", 12345), 5);
	assert_string_equal(buf, "abc");
}

static void test_truncation_is_terminated_and_returns_full_length(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(sformat(buf, 5, "hello world"), 11);
	assert_string_equal(buf, "hell");
	assert_int_equal(buf[5], 'Z');	/* nothing past size touched */

	assert_int_equal(sformat(buf, 1, "%s", "abc"), 3);
	assert_int_equal(buf[0], '\0');

	/* The boundary: size == length loses the last character. */
	assert_int_equal(sformat(buf, 6, "%d", -12345), 6);
	assert_string_equal(buf, "-1234");
	assert_int_equal(sformat(buf, 7, "%d", -12345), 6);
	assert_string_equal(buf, "-12345");
}

static void test_truncation_matches_libc_at_every_size(void **state)
{
	char ours[40], libc[40];
	size_t size;

	(void)state;
	for (size = 0; size <= sizeof(ours); size++) {
		memset(ours, 'Z', sizeof(ours));
		memset(libc, 'Z', sizeof(libc));
		int a = sformat(ours, size, "[%-6s|%+08lld|%#x]", "ab", -77LL, 0xbeefu);
		int b = snprintf(libc, size, "[%-6s|%+08lld|%#x]", "ab", -77LL, 0xbeefu);
		assert_int_equal(a, b);
		assert_memory_equal(ours, libc, sizeof(ours));
	}
}

/* fmt_word: letters and digits stay; NULs, spaces, '=' and anything else become '_'. */
static void test_word_keeps_only_letters_and_digits(void **state)
{
	(void)state;
	char v[12] = { 'G', 'e', 'n', ' ', '=', 'x', '\0', '9', '\n', '-', (char)0xe9, 'Z' };

	fmt_word(v, sizeof(v));
	assert_memory_equal(v, "Gen__x_9___Z", 12);
	char ok[] = "GenuineIntel";
	fmt_word(ok, 12);
	assert_string_equal(ok, "GenuineIntel");
}

static int call_vsformat(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_vsformat_takes_a_va_list(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(call_vsformat(buf, sizeof(buf), "%s=%llu", "n", 18446744073709551615ULL), 22);
	assert_string_equal(buf, "n=18446744073709551615");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_and_percent),
		cmocka_unit_test(test_word_keeps_only_letters_and_digits),
		cmocka_unit_test(test_signed_decimal_matches_libc),
		cmocka_unit_test(test_unsigned_hex_octal_match_libc),
		cmocka_unit_test(test_length_modifiers_truncate_like_libc),
		cmocka_unit_test(test_width_precision_and_flags_match_libc),
		cmocka_unit_test(test_star_width_and_precision),
		cmocka_unit_test(test_strings_and_chars_match_libc),
		cmocka_unit_test(test_integer_matrix_matches_libc),
		cmocka_unit_test(test_pointer_is_0x_and_16_digits),
		cmocka_unit_test(test_null_string_prints_null),
		cmocka_unit_test(test_precision_bounds_string_read),
		cmocka_unit_test(test_char_nul_counts_one_byte),
		cmocka_unit_test(test_unknown_conversion_copied_verbatim),
		cmocka_unit_test(test_size_zero_returns_length_writes_nothing),
		cmocka_unit_test(test_truncation_is_terminated_and_returns_full_length),
		cmocka_unit_test(test_truncation_matches_libc_at_every_size),
		cmocka_unit_test(test_vsformat_takes_a_va_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
