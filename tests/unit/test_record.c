/* test_record.c - the record parser (host/record.c) and the CSV it feeds (host/csv.c):
 * the lines real runs print are accepted, each way of being malformed is rejected with
 * its reason, and a CSV field survives writing and reading back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "record.h"

#define CTX "platform=bochs level=1 hv=ept:4k,levels:4 cpu=GenuineIntel-6-85-4 git=1c75167967c0"
#define TIMING "@nb v=1 case=vmexit.cpuid params=- metric=round_trip unit=ticks clock=instructions " \
	CTX " iterations=16384 repetitions=5"

static struct record r;
static char err[256];

static int parse(const char *line)
{
	err[0] = '\0';
	return record_parse(line, strlen(line), &r, err, sizeof(err));
}

/* A rejected line, with the reason containing want. */
static void rejected(const char *line, const char *want)
{
	assert_int_equal(parse(line), RECORD_BAD);
	if (!strstr(err, want))
		fail_msg("reason '%s' does not mention '%s'", err, want);
}

static void test_timing_record(void **state)
{
	(void)state;
	assert_int_equal(parse(TIMING " median=112.00 min=111.00 max=114.00 p90=113.00\n"),
			 RECORD_OK);
	assert_string_equal(record_get(&r, "case"), "vmexit.cpuid");
	assert_string_equal(record_get(&r, "hv"), "ept:4k,levels:4");
	assert_string_equal(record_get(&r, "median"), "112.00");
	assert_null(record_get(&r, "status"));
	assert_int_equal(r.n, 17);
}

static void test_unsupported_count_and_hv_records(void **state)
{
	(void)state;
	assert_int_equal(parse("@nb v=1 case=vmexit.vmcall params=- metric=round_trip " CTX
			       " status=unsupported reason=needs_a_nestbench_hypervisor_below"),
			 RECORD_OK);
	assert_int_equal(parse("@nb v=1 case=walk.depth params=page=4K metric=refs_per_miss "
			       "unit=refs " CTX " refs_walked=24 refs_formula=24\r\n"), RECORD_OK);
	assert_string_equal(record_get(&r, "params"), "page=4K");
	assert_string_equal(record_get(&r, "refs_formula"), "24");
	assert_int_equal(parse("@nb v=1 case=hv.exits reason=cpuid " CTX " clock=instructions "
			       "count=5144 ticks=293203 vmreads=10288 vmwrites=5144"), RECORD_OK);
}

static void test_not_a_record(void **state)
{
	(void)state;
	assert_int_equal(parse("hv: exits by reason\n"), RECORD_NONE);
	assert_int_equal(parse(""), RECORD_NONE);
	assert_int_equal(parse("@exit status=0\n"), RECORD_NONE);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	rejected("@nb v=2 case=x " CTX, "v=2");
	rejected("@nb case=x v=1 " CTX, "first field");
	rejected("@nb v=1 case=x  " CTX, "empty field");
	rejected("@nb v=1 case=x " CTX " ", "empty field");
	rejected("@nb v=1 case=x params=- metric=m " CTX " oops", "not key=value");
	rejected("@nb v=1 case=x params=- metric=m " CTX " Key=1", "bad key");
	rejected("@nb v=1 case=x params=- metric=m " CTX " k=", "empty value");
	rejected("@nb v=1 case=x params=- metric=m " CTX " k=\"a\"", "outside the value set");
	rejected("@nb v=1 case=x params=- metric=m " CTX " case=y", "twice");
	rejected("@nb v=1 case=x params=- metric=m platform=bochs level=1", "without hv=");
	rejected("@nb v=1 case=x metric=m " CTX, "without params=");
	rejected("@nb v=1 case=x params=- metric=m platform=b level=one hv=a cpu=c git=g",
		 "level=one");
	rejected("@nb v=1 case=x params=- metric=m " CTX " clock=wall", "clock=wall");
	rejected("@nb v=1 case=x params=- metric=m " CTX " status=unsupported", "reason");
	rejected("@nb v=1 case=x params=- metric=m " CTX " status=broken reason=r", "status=broken");
	rejected("bench: x @nb v=1 case=x " CTX, "does not start its line");
	rejected("@nb v=1 case=x params=- metric=m " CTX "@nb v=1 case=y", "two records");
	rejected("@nb v=1 case=x params=- metric=m " CTX " k=a\tb", "control character");
}

static void test_malformed_timings(void **state)
{
	(void)state;
	rejected(TIMING " median=1.00 min=1.00 max=1.00", "without p90=");
	rejected(TIMING " median=abc min=1.00 max=1.00 p90=1.00", "median=abc is not a number");
	rejected(TIMING " median=1.00 min=2.00 max=3.00 p90=2.50", "median=1.00 below min=2.00");
	rejected(TIMING " median=2.00 min=1.00 max=3.00 p90=4.00", "max=3.00 below p90=4.00");
	rejected(TIMING " median=1.00 min=1.00 max=1.00 p90=1.00 status=unsupported reason=x",
		 "timing with status");
	rejected("@nb v=1 case=x params=- metric=m unit=t clock=tsc " CTX
		 " iterations=1.5 repetitions=3 median=1 min=1 max=1 p90=1", "whole numbers");
}

static void test_too_long(void **state)
{
	char line[RECORD_LINE_MAX + 16];

	(void)state;
	memset(line, 'a', sizeof(line));
	memcpy(line, "@nb v=1 case=", 13);
	line[sizeof(line) - 1] = '\0';
	rejected(line, "longer than");
}

/* Values every real record holds (results/reference, the emitters' reasons, libpfm
 * event names, a foreign hypervisor's signature) are inside the value set. */
static void test_value_set_accepts_real_values(void **state)
{
	(void)state;
	assert_int_equal(parse("@nb v=1 case=tlb.chase params=page=4K,span=64M,lines=16384 "
			       "metric=miss_penalty platform=native level=1 hv=bhyve_bhyve_ "
			       "cpu=AuthenticAMD-26-2-1 git=d9dec2a52e4c-dirty status=unsupported "
			       "reason=no_1_GiB_hugetlbfs_pages_reserved_(vm.nr_hugepages_for_1G) "
			       "pmc0_event=skl::DTLB_LOAD_MISSES:WALK_COMPLETED "
			       "counters_reason=skl::X:_perf_event_open:_No_such_file/dir+1"),
			 RECORD_OK);
	assert_string_equal(record_get(&r, "pmc0_event"), "skl::DTLB_LOAD_MISSES:WALK_COMPLETED");
	for (int c = 1; c < 256; c++) {
		bool want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || strchr("_-.,:=()/+", c);
		if (record_value_char(c) != want)
			fail_msg("character 0x%02x: %d, want %d", c, record_value_char(c), want);
	}
	assert_false(record_value_char(0));
}

/* Anything that could end a quoted string or start a command in a consumer (gnuplot,
 * the shell, LaTeX, CSV) is rejected, naming the key. */
static void test_value_set_rejects_the_rest(void **state)
{
	static const char *const hostile[] = {
		"x';system('touch${IFS}/tmp/PWNED');'", "a\\b", "$(id)", "`id`", "a;b", "a|b",
		"a&b", "a<b", "a>b", "a*", "a?", "a[1]", "{a}", "a!", "a#", "a~", "a%", "a@b", "a^b",
		"a'b", "a\"b",
	};
	char line[512];

	(void)state;
	for (unsigned i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		snprintf(line, sizeof(line), "@nb v=1 case=x params=- metric=m " CTX " platform2=%s",
			 hostile[i]);
		rejected(line, "key 'platform2': character");
		snprintf(line, sizeof(line), "@nb v=1 case=x params=- metric=m hv=a cpu=c git=g "
			 "level=1 platform=%s", hostile[i]);
		rejected(line, "outside the value set");
	}
	rejected("@nb v=1 case=x params=- metric=m " CTX " k=a\x7f", "control character");
}

/* A key is [a-z][a-z0-9_]*: no upper case, no '.', no quote. */
static void test_key_set(void **state)
{
	(void)state;
	rejected("@nb v=1 case=x params=- metric=m " CTX " a'b=1", "bad key 'a'b'");
	rejected("@nb v=1 case=x params=- metric=m " CTX " _a=1", "bad key");
	rejected("@nb v=1 case=x params=- metric=m " CTX " 1a=1", "bad key");
	assert_int_equal(parse("@nb v=1 case=x params=- metric=m " CTX " a_1=1"), RECORD_OK);
}

/* The collector's own columns cannot come from a record: job and log name the log,
 * p.KEY and hv.KEY are derived from params and hv, once per key. */
static void test_collector_keys_reserved(void **state)
{
	(void)state;
	rejected("@nb v=1 case=x params=- metric=m " CTX " job=evil", "key 'job' is the collector's");
	rejected("@nb v=1 case=x params=- metric=m " CTX " log=evil", "key 'log' is the collector's");
	rejected("@nb v=1 case=x params=- metric=m " CTX " p.page=1G", "bad key 'p.page'");
	rejected("@nb v=1 case=x params=- metric=m " CTX " hv.ept=1g", "bad key 'hv.ept'");
	rejected("@nb v=1 case=x params=page=4K,page=2M metric=m " CTX, "params lists 'page' twice");
	rejected("@nb v=1 case=x params=Page=4K metric=m " CTX, "params item 'Page=4K'");
	rejected("@nb v=1 case=x params=page= metric=m " CTX, "params item 'page='");
	rejected("@nb v=1 case=x params=- metric=m platform=b level=1 hv=ept:4k,ept:2m cpu=c git=g",
		 "hv lists 'ept' twice");
	assert_int_equal(parse(TIMING " median=1 min=1 max=1 p90=1"), RECORD_OK);
	assert_string_equal(record_get(&r, "hv.ept"), "4k");
	assert_string_equal(record_get(&r, "hv.levels"), "4");
	assert_int_equal(parse("@nb v=1 case=x params=page=4K,span=1M metric=m " CTX), RECORD_OK);
	assert_int_equal(r.nderived, 4);
	assert_string_equal(r.dkey[0], "p.page");
	assert_string_equal(r.dval[1], "1M");
	assert_string_equal(r.dkey[2], "hv.ept");
}

/* A NUL inside a record makes it malformed; before, the line ended there and its
 * first part passed as the whole record. */
static void test_nul_byte(void **state)
{
	static const char line[] = TIMING " median=1 min=1 max=1 p90=1\0 median=7\n";

	(void)state;
	err[0] = '\0';
	assert_int_equal(record_parse(line, sizeof(line) - 1, &r, err, sizeof(err)), RECORD_BAD);
	assert_non_null(strstr(err, "NUL"));
	/* Console noise with a NUL that holds no record is still not a record... */
	assert_int_equal(record_parse("x\0y\n", 4, &r, err, sizeof(err)), RECORD_NONE);
	/* ...but a record hidden behind one does not start its line. */
	assert_int_equal(record_parse("x\0@nb v=1 case=y\n", 17, &r, err, sizeof(err)), RECORD_BAD);
}

/* The keys another part of the testbed adds: emulated is yes or no, nothing else. */
static void test_emulated(void **state)
{
	(void)state;
	assert_int_equal(parse(TIMING " median=1 min=1 max=1 p90=1 emulated=yes insn_ticks=1.02 "
			       "tsc_end=lfence_rdtsc"), RECORD_OK);
	assert_string_equal(record_get(&r, "insn_ticks"), "1.02");
	rejected(TIMING " median=1 min=1 max=1 p90=1 emulated=maybe", "emulated=maybe (yes or no)");
}

static void test_bytes(void **state)
{
	(void)state;
	assert_true(record_bytes("4K") == 4096.0);
	assert_true(record_bytes("1M") == 1048576.0);
	assert_true(record_bytes("4G") == 4294967296.0);
	assert_true(record_bytes("512") == 512.0);
	assert_true(record_bytes("-") < 0);
	assert_true(record_bytes("4KB") < 0);
	assert_true(record_bytes("4X") < 0);
}

/* Fields with commas, quotes and newlines come back as they went in. */
static void test_csv_round_trip(void **state)
{
	static const char *const v[] = { "case", "params", "x", "vmexit.cpuid", "page=4K,span=1M",
					 "say \"hi\"\nthere", "", "-", "" };
	char path[] = "/tmp/test_record_XXXXXX", e[256];
	struct csv t;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	(void)state;
	for (unsigned i = 0; i < 9; i++) {
		csv_put(f, v[i]);
		fputc(i % 3 == 2 ? '\n' : ',', f);
	}
	fclose(f);
	assert_int_equal(csv_read(path, &t, e, sizeof(e)), 0);
	assert_int_equal(t.ncols, 3);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(csv_col(&t, "params"), 1);
	assert_int_equal(csv_col(&t, "median"), -1);
	for (unsigned i = 0; i < 6; i++)
		assert_string_equal(csv_at(&t, i / 3, i % 3), v[3 + i]);
	csv_free(&t);

	f = fopen(path, "a");
	fputs("a,b\n", f); /* a short row */
	fclose(f);
	assert_int_equal(csv_read(path, &t, e, sizeof(e)), -1);
	assert_non_null(strstr(e, ":5: 2 fields, the header has 3"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing_record),
		cmocka_unit_test(test_unsupported_count_and_hv_records),
		cmocka_unit_test(test_not_a_record),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_malformed_timings),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_value_set_accepts_real_values),
		cmocka_unit_test(test_value_set_rejects_the_rest),
		cmocka_unit_test(test_key_set),
		cmocka_unit_test(test_collector_keys_reserved),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_emulated),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_csv_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
