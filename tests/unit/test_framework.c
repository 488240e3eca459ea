/* test_framework.c - unit tests for the measuring method (microbench/framework.c):
 * rounds, the least-disturbed pair across CPUs, layouts, the timer and the platform
 * words, and what gets reported. The cases here are fakes registered like any case;
 * the CPU moves are mocked, and so is a slow platform's clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define MAX_VARIANTS 256
static unsigned variants = 3; /* variant 2 is the one that goes away (below) */
static unsigned setups[MAX_VARIANTS], teardowns[MAX_VARIANTS], layouts, moves, bad_moves;
static unsigned variant_of_state[MAX_VARIANTS];

/* Variant 2 can be set up in the first round only: a later round must report it
 * unsupported once and measure it no more. */
static int fake_setup(const struct bench_env *env, unsigned variant, void **state,
		      char *params, size_t n, const char **why)
{
	(void)env;
	if (variant >= variants)
		return BENCH_DONE;
	snprintf(params, n, "v=%u", variant);
	setups[variant]++;
	if (variant == 2 && setups[2] > 1) {
		/* prose with characters a record value may not hold */
		*why = "gone in a later round [#2]";
		return BENCH_UNSUPPORTED;
	}
	variant_of_state[variant] = variant;
	*state = &variant_of_state[variant];
	return BENCH_OK;
}

/* A hypervisor's exit count, played: the operation's loop exits twice per
 * iteration, the control's once, and reading the count is an exit of its own that
 * the count includes from the next read on (as HC_EXITS's is). */
static uint64_t hv_exits;

static uint64_t fake_exits(void)
{
	return hv_exits++;
}

static void fake_run(void *state, uint64_t n)
{
	(void)state;
	for (volatile uint64_t i = 0; i < n; i++)
		;
	hv_exits += 2 * n;
}

static void fake_control(void *state, uint64_t n)
{
	(void)state;
	hv_exits += n;
}

static void fake_teardown(void *state)
{
	teardowns[*(unsigned *)state]++;
}

static void fake_next_layout(void *state)
{
	(void)state;
	layouts++;
}

BENCH_CASE(fake_rounds) = {
	.name = "fake.rounds", .metric = "op", .setup = fake_setup, .run = fake_run,
	.control = fake_control, .teardown = fake_teardown, .next_layout = fake_next_layout,
};

static int fake_move(unsigned i)
{
	moves++;
	if (i >= 2)
		bad_moves++;
	return (int)i + 10;
}

static void reset(void)
{
	memset(setups, 0, sizeof(setups));
	memset(teardowns, 0, sizeof(teardowns));
	layouts = moves = bad_moves = 0;
}

/* Runs bench_main with stdout in a file; returns the output (static buffer). */
static const char *captured(const struct bench_env *env, unsigned reps)
{
	static char out[1 << 17];
	char path[] = "/tmp/nb-test-framework-XXXXXX";
	int fd = mkstemp(path), saved = dup(1);

	assert_true(fd >= 0 && saved >= 0);
	fflush(stdout);
	dup2(fd, 1);
	assert_int_equal(bench_main(env, "fake.*", 2000, reps, "hv=none cpu=test git=test"), 0);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	ssize_t len = pread(fd, out, sizeof(out) - 1, 0);
	out[len > 0 ? len : 0] = 0;
	close(fd);
	unlink(path);
	return out;
}

static unsigned occurrences(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_rounds_spread_repetitions(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "tsc", .rounds = 3 };
	(void)state;

	reset();
	const char *out = captured(&env, 5);
	/* Each variant set up once per round, and every setup torn down. */
	assert_int_equal(setups[0], 3);
	assert_int_equal(setups[1], 3);
	assert_int_equal(setups[2], 2); /* unsupported in round 2: not tried again */
	assert_int_equal(teardowns[0], 3);
	assert_int_equal(teardowns[1], 3);
	assert_int_equal(teardowns[2], 1);
	assert_int_equal(occurrences(out, "bench: round "), 3);
	/* One record per timed variant, with all 5 repetitions, in the last round. */
	assert_int_equal(occurrences(out, "case=fake.rounds params=v=0 metric=op unit=ticks"), 1);
	assert_int_equal(occurrences(out, "case=fake.rounds params=v=1 metric=op unit=ticks"), 1);
	assert_int_equal(occurrences(out, "repetitions=5 "), 2);
	/* Variant 2 lost in round 2: one unsupported record, no timing. */
	assert_int_equal(occurrences(out, "params=v=2 metric=op platform=test level=0 hv=none "
					  "cpu=test git=test tsc_end="), 1);
	assert_int_equal(occurrences(out, "params=v=2 metric=op platform=test level=0 hv=none "
					  "cpu=test git=test tsc_end=lfence_rdtsc insn_ticks="), 1);
	assert_int_equal(occurrences(out, " emulated=no status=unsupported "
					  "reason=gone_in_a_later_round___2_\n"), 1);
	assert_int_equal(occurrences(out, "params=v=2 metric=op unit="), 0);
	/* A layout change before every repetition of the measured variants (v2's share
	 * of round 1 included). */
	assert_int_equal(layouts, 5 + 5 + 2);
	assert_null(strstr(out, "best_of="));
}

static void test_best_of_pairs_across_cpus(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "tsc", .best_of = 3, .cpus = 2,
				 .move_to_cpu = fake_move };
	(void)state;

	reset();
	const char *out = captured(&env, 4);
	/* No rounds: one setup per variant; v2 is measured (its first setup works). */
	assert_int_equal(setups[0], 1);
	assert_int_equal(occurrences(out, "bench: round "), 0);
	assert_int_equal(occurrences(out, "repetitions=4 "), 3);
	/* Every repetition visits both CPUs, and only those. */
	assert_int_equal(moves, 3 * 4 * 2);
	assert_int_equal(bad_moves, 0);
	assert_int_equal(occurrences(out, " best_of=6 cpus=2"), 3);
}

static void test_one_cpu_one_pair(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "tsc", .cpus = 1,
				 .move_to_cpu = fake_move };
	(void)state;

	reset();
	const char *out = captured(&env, 3);
	assert_int_equal(moves, 0);
	assert_null(strstr(out, "best_of="));
	assert_int_equal(occurrences(out, "repetitions=3 "), 3);
	/* On the TSC, every timing also comes in calibrated core cycles. */
	assert_int_equal(occurrences(out, " core_median="), 3);
	assert_int_equal(occurrences(out, " core_per_tick="), 3);
}

/* Where the clock counts instructions (Bochs), there is no core clock to estimate. */
static void test_no_core_cycles_on_instructions(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "instructions" };
	(void)state;

	reset();
	const char *out = captured(&env, 3);
	assert_int_equal(occurrences(out, "repetitions=3 "), 3);
	assert_null(strstr(out, "core_"));
}

/* More timed variants than the framework keeps series for: the rest are measured
 * whole in round 0, and every variant still gets one complete record. */
static void test_more_variants_than_series(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "tsc", .rounds = 2 };
	(void)state;

	reset();
	variants = 200;
	const char *out = captured(&env, 2);
	variants = 3;
	assert_int_equal(occurrences(out, "repetitions=2 "), 199); /* v2 lost in round 1 */
	assert_int_equal(setups[0], 2);
	assert_int_equal(setups[199], 1);
	assert_int_equal(teardowns[199], 1);
	assert_int_equal(occurrences(out, "params=v=199 metric=op unit=ticks"), 1);
}

/* A platform that emulates every instruction: its TSC runs at the host's rate, but an
 * instruction takes thousands of ticks. Played here by a TSC read that counts 4096
 * ticks for each real one. */
#define SLOW 4096
static uint64_t slow_tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32 | lo) * SLOW;
}
static const struct bench_timer slow_timer = { "slow_tsc", slow_tsc, slow_tsc };

/* Where a core cycle is thousands of ticks, the calibration still gives core cycles:
 * core cycles per tick is far below 1/1000, and must not round to nothing. */
static void test_slow_platform_keeps_core_cycles(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "tsc", .timer = &slow_timer };
	char *p;
	(void)state;

	reset();
	const char *out = captured(&env, 3);
	assert_int_equal(occurrences(out, "repetitions=3 "), 3);
	assert_int_equal(occurrences(out, " core_median="), 3);
	assert_int_equal(occurrences(out, " core_per_tick=0.000"), 3);
	/* 4 significant digits, however small the ratio. */
	p = strstr(out, " core_per_tick=0.000");
	p += strlen(" core_per_tick=");
	while (*p == '0' || *p == '.')
		p++;
	assert_true(strspn(p, "0123456789") == 4);
	/* Every record says so: the timer, an ADD's cost in thousands of ticks, emulated. */
	assert_int_equal(occurrences(out, "@nb v=1 "), 3);
	assert_int_equal(occurrences(out, " tsc_end=slow_tsc insn_ticks="), 3);
	assert_int_equal(occurrences(out, " emulated=yes"), 3);
	p = strstr(out, " insn_ticks=") + strlen(" insn_ticks=");
	assert_true(strtod(p, NULL) > 100 && strtod(p, NULL) < 100 * SLOW);
}

/* On this machine's own TSC: an ADD costs a fraction of a tick to a few ticks (one
 * core cycle), so the platform is not emulated, unless the CPU says it is. */
static void test_plain_instruction_cost(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "tsc" };
	const char *out, *p;
	(void)state;

	reset();
	out = captured(&env, 1);
	assert_int_equal(occurrences(out, " emulated=no"), occurrences(out, "@nb v=1 "));
	p = strstr(out, " insn_ticks=") + strlen(" insn_ticks=");
	assert_true(strtod(p, NULL) > 0.05 && strtod(p, NULL) < 20);
	env.emulator = true;
	out = captured(&env, 1);
	assert_int_equal(occurrences(out, " emulated=yes"), occurrences(out, "@nb v=1 "));
}

/* RDTSCP only where CPUID.80000001H:EDX[27] says so; without a TSC or LFENCE, no
 * timer, and a reason. */
static void test_timer_choice(void **state)
{
	const uint32_t tsc = 1u << 4, sse2 = 1u << 26, rdtscp = 1u << 27;
	const char *why = NULL;
	(void)state;

	assert_string_equal(bench_timer_for(tsc | sse2, rdtscp, &why)->name, "rdtscp");
	assert_string_equal(bench_timer_for(tsc | sse2, 0, &why)->name, "lfence_rdtsc");
	assert_string_equal(bench_timer_for(tsc | sse2, ~rdtscp, &why)->name, "lfence_rdtsc");
	assert_null(why);
	assert_null(bench_timer_for(sse2, rdtscp, &why));
	assert_non_null(strstr(why, "no TSC"));
	assert_null(bench_timer_for(tsc, rdtscp, &why));
	assert_non_null(strstr(why, "no LFENCE"));
}

/* Under a nestbench hypervisor each record says how many exits one operation
 * costs, the control's and the reads' own taken off; elsewhere it says nothing. */
static void test_exits_per_operation(void **state)
{
	struct bench_env env = { .platform = "test", .clock = "tsc", .exits = fake_exits };
	(void)state;

	reset();
	const char *out = captured(&env, 3);
	assert_int_equal(occurrences(out, "@nb v=1 "), 3);
	assert_int_equal(occurrences(out, " exits=1.00\n"), 3);
	env.exits = NULL;
	out = captured(&env, 3);
	assert_null(strstr(out, "exits="));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds_spread_repetitions),
		cmocka_unit_test(test_best_of_pairs_across_cpus),
		cmocka_unit_test(test_one_cpu_one_pair),
		cmocka_unit_test(test_no_core_cycles_on_instructions),
		cmocka_unit_test(test_more_variants_than_series),
		cmocka_unit_test(test_slow_platform_keeps_core_cycles),
		cmocka_unit_test(test_plain_instruction_cost),
		cmocka_unit_test(test_timer_choice),
		cmocka_unit_test(test_exits_per_operation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
