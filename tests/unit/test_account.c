/* The episodes of vmm/nested/account.c: an exit of L2 reflected to L1 opens one,
 * every exit of L1 until an entry of L2 is charged to it by kind (VMREAD, VMWRITE,
 * VMLAUNCH/VMRESUME, other by reason), one L1 never ends adds nothing but
 * unfinished=, and l0_exits is always the sum of its parts. Times are made up:
 * each exit is handled from t to t + 10, L1 runs 100 between exits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "nested/account.h"

static struct account a;
static uint64_t now;

static int setup(void **state)
{
	(void)state;
	memset(&a, 0, sizeof(a));
	now = 1000;
	return 0;
}

/* One exit of L0, handled in 10 ticks, 100 ticks after the last. */
static void exit_of(bool from_l2, unsigned reason, bool l2_runs)
{
	now += 100;
	account_exit(&a, from_l2, reason, l2_runs, now, now + 10);
	now += 10;
}

/* L2 exits with reason, and L0 reflects it to L1 as reflected_as. */
static void reflect(unsigned reason, unsigned reflected_as)
{
	account_reflect(&a, reflected_as);
	exit_of(true, reason, false);
}

static void l1_exit(unsigned reason)
{
	exit_of(false, reason, false);
}

static void l1_enters_l2(void)
{
	exit_of(false, EXIT_REASON_VMRESUME, true);
}

static void check_sum(const struct account_stat *s)
{
	uint64_t others = 0;

	assert_int_equal(s->l0_exits,
			 s->reflected + s->vmreads + s->vmwrites + s->vmresumes + s->other);
	for (unsigned r = 0; r < ACCOUNT_REASONS; r++)
		others += s->others[r];
	assert_int_equal(others, s->other);
}

/* s's counts, each episode's reflected exit among them; with check_sum, l0_exits. */
static void expect_counts(const struct account_stat *s, uint64_t l2_exits, uint64_t vmreads,
			  uint64_t vmwrites, uint64_t vmresumes, uint64_t other,
			  uint64_t unfinished)
{
	assert_int_equal(s->l2_exits, l2_exits);
	assert_int_equal(s->reflected, l2_exits);
	assert_int_equal(s->vmreads, vmreads);
	assert_int_equal(s->vmwrites, vmwrites);
	assert_int_equal(s->vmresumes, vmresumes);
	assert_int_equal(s->other, other);
	assert_int_equal(s->unfinished, unfinished);
	check_sum(s);
}

static void test_one_round_trip(void **state)
{
	(void)state;
	reflect(EXIT_REASON_CPUID, EXIT_REASON_CPUID);
	assert_true(a.open);
	l1_exit(EXIT_REASON_VMREAD);
	l1_exit(EXIT_REASON_VMREAD);
	l1_exit(EXIT_REASON_CPUID);
	l1_exit(EXIT_REASON_VMWRITE);
	l1_enters_l2();
	assert_false(a.open);

	const struct account_stat *s = &a.stat[EXIT_REASON_CPUID];
	expect_counts(s, 1, 2, 1, 1, 1, 0);
	assert_int_equal(s->l0_exits, 6);
	assert_int_equal(s->others[EXIT_REASON_CPUID], 1);
	/* L0: six handlers of 10; L1: the five gaps of 100 before each of its exits. */
	assert_int_equal(s->l0_ticks, 60);
	assert_int_equal(s->l1_ticks, 500);
	assert_int_equal(s->l0_only, 0);
}

/* Exits of L2 that L0 keeps open no episode; exits of L1 outside one are not
 * charged to anything. */
static void test_l0_only_and_outside(void **state)
{
	(void)state;
	l1_exit(EXIT_REASON_IO_INSTRUCTION);
	exit_of(true, EXIT_REASON_EPT_VIOLATION, false);
	exit_of(true, EXIT_REASON_EPT_VIOLATION, false);
	l1_exit(EXIT_REASON_VMREAD);
	assert_false(a.open);
	for (unsigned r = 0; r < ACCOUNT_REASONS; r++) {
		assert_int_equal(a.stat[r].l2_exits, 0);
		assert_int_equal(a.stat[r].l0_exits, 0);
		assert_int_equal(a.stat[r].l0_only, r == EXIT_REASON_EPT_VIOLATION ? 2 : 0);
	}
}

/* The episode is the reason L1 sees, not the exit L0 took (an EPT violation of L2
 * that is L1's EPT misconfiguration). */
static void test_reflected_reason(void **state)
{
	(void)state;
	reflect(EXIT_REASON_EPT_VIOLATION, EXIT_REASON_EPT_MISCONFIG);
	l1_enters_l2();
	assert_int_equal(a.stat[EXIT_REASON_EPT_MISCONFIG].l2_exits, 1);
	assert_int_equal(a.stat[EXIT_REASON_EPT_MISCONFIG].l0_exits, 2);
	assert_int_equal(a.stat[EXIT_REASON_EPT_VIOLATION].l2_exits, 0);
	assert_int_equal(a.stat[EXIT_REASON_EPT_VIOLATION].l0_only, 0);
}

/* An exit reflected as it is (ACCOUNT_OWN_REASON) is charged to the reason the
 * processor gave L0, not to reason 0. */
static void test_own_reason(void **state)
{
	(void)state;
	reflect(EXIT_REASON_CPUID, ACCOUNT_OWN_REASON);
	l1_enters_l2();
	assert_int_equal(a.stat[EXIT_REASON_CPUID].l2_exits, 1);
	assert_int_equal(a.stat[EXIT_REASON_CPUID].l0_exits, 2);
	assert_int_equal(a.stat[EXIT_REASON_EXCEPTION_NMI].l2_exits, 0);
}

/* A VMRESUME that fails (VMfail: L2 does not run) is L1's and the episode goes on. */
static void test_failed_vmresume(void **state)
{
	(void)state;
	reflect(EXIT_REASON_VMCALL, EXIT_REASON_VMCALL);
	l1_exit(EXIT_REASON_VMRESUME);
	assert_true(a.open);
	l1_enters_l2();
	const struct account_stat *s = &a.stat[EXIT_REASON_VMCALL];
	expect_counts(s, 1, 0, 0, 2, 0, 0);
	assert_int_equal(s->l0_exits, 3);
}

/* An episode L1 never ends (it stopped) is unfinished and adds nothing else, its
 * other exits included; the next run of the same slots starts clean. */
static void test_unfinished(void **state)
{
	(void)state;
	reflect(EXIT_REASON_IO_INSTRUCTION, EXIT_REASON_IO_INSTRUCTION);
	l1_exit(EXIT_REASON_IO_INSTRUCTION);
	l1_enters_l2();
	reflect(EXIT_REASON_IO_INSTRUCTION, EXIT_REASON_IO_INSTRUCTION);
	l1_exit(EXIT_REASON_VMREAD);
	l1_exit(EXIT_REASON_IO_INSTRUCTION);
	l1_exit(EXIT_REASON_HLT);
	account_finish(&a);
	account_finish(&a);
	assert_false(a.open);

	const struct account_stat *s = &a.stat[EXIT_REASON_IO_INSTRUCTION];
	expect_counts(s, 1, 0, 0, 1, 1, 1);
	assert_int_equal(s->l0_exits, 3);
	assert_int_equal(s->others[EXIT_REASON_IO_INSTRUCTION], 1);
	assert_int_equal(s->others[EXIT_REASON_HLT], 0);

	/* The discarded episode's other exits do not leak into the next one. */
	reflect(EXIT_REASON_IO_INSTRUCTION, EXIT_REASON_IO_INSTRUCTION);
	l1_exit(EXIT_REASON_CPUID);
	l1_enters_l2();
	assert_int_equal(s->others[EXIT_REASON_IO_INSTRUCTION], 1);
	assert_int_equal(s->others[EXIT_REASON_HLT], 0);
	assert_int_equal(s->others[EXIT_REASON_CPUID], 1);
	expect_counts(s, 2, 0, 0, 2, 2, 1);
}

/* Reasons past the table (hardware newer than the list) share its last slot. */
static void test_unknown_reason(void **state)
{
	(void)state;
	reflect(EXIT_REASON_MAX + 7, EXIT_REASON_MAX + 7);
	l1_exit(EXIT_REASON_MAX + 9);
	l1_enters_l2();
	assert_int_equal(a.stat[EXIT_REASON_MAX].l2_exits, 1);
	assert_int_equal(a.stat[EXIT_REASON_MAX].others[EXIT_REASON_MAX], 1);
	exit_of(true, EXIT_REASON_MAX + 3, false);
	assert_int_equal(a.stat[EXIT_REASON_MAX].l0_only, 1);
}

/* Many random episodes of random reasons, some left by failed VMRESUMEs: every
 * reason's l0_exits is the sum of its parts, each episode counted once. */
static void test_sum_identity(void **state)
{
	(void)state;
	static const unsigned kinds[] = {
		EXIT_REASON_VMREAD, EXIT_REASON_VMWRITE, EXIT_REASON_VMRESUME,
		EXIT_REASON_CPUID, EXIT_REASON_IO_INSTRUCTION, EXIT_REASON_MSR_READ,
		EXIT_REASON_EPT_VIOLATION,
	};
	uint64_t episodes = 0, l0_exits = 0;

	srand(12345);
	for (int i = 0; i < 5000; i++) {
		unsigned reason = (unsigned)rand() % EXIT_REASON_MAX;
		if (rand() % 4 == 0) {
			exit_of(true, reason, false);  /* L0's own: EPT02 fill, say */
			continue;
		}
		reflect(reason, reason);
		episodes++;
		l0_exits++;
		for (int n = rand() % 20; n > 0; n--, l0_exits++)
			l1_exit(kinds[(unsigned)rand() % (sizeof(kinds) / sizeof(kinds[0]))]);
		l1_enters_l2();
		l0_exits++;
	}
	uint64_t seen_episodes = 0, seen_l0 = 0;
	for (unsigned r = 0; r < ACCOUNT_REASONS; r++) {
		const struct account_stat *s = &a.stat[r];
		check_sum(s);
		assert_int_equal(s->reflected, s->l2_exits);
		assert_true(s->vmresumes >= s->l2_exits);
		seen_episodes += s->l2_exits;
		seen_l0 += s->l0_exits;
	}
	assert_int_equal(seen_episodes, episodes);
	assert_int_equal(seen_l0, l0_exits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_round_trip, setup),
		cmocka_unit_test_setup(test_l0_only_and_outside, setup),
		cmocka_unit_test_setup(test_reflected_reason, setup),
		cmocka_unit_test_setup(test_own_reason, setup),
		cmocka_unit_test_setup(test_failed_vmresume, setup),
		cmocka_unit_test_setup(test_unfinished, setup),
		cmocka_unit_test_setup(test_unknown_reason, setup),
		cmocka_unit_test_setup(test_sum_identity, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
