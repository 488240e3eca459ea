/* Exit-reason numbers and names (vmm/exit_reasons.h, .c): every reason listed has a
 * name a record can carry, no two share one, numbers not listed are "unknown", and
 * the numbers are Appendix C's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "exit_reasons.h"

#define LIST_ENTRY(nr, name, str) { nr, str },
static const struct { unsigned nr; const char *name; } listed[] = {
	VMX_EXIT_REASONS(LIST_ENTRY)
};
#undef LIST_ENTRY
#define NLISTED (sizeof(listed) / sizeof(listed[0]))

/* Record values (README, "The record format"): a reason name uses [a-z0-9_]. */
static int record_word(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

static void test_every_listed_reason_is_named(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NLISTED; i++) {
		const char *got = exit_reason_name(listed[i].nr);
		assert_string_equal(got, listed[i].name);
		assert_true(record_word(got));
		assert_string_not_equal(got, "unknown");
	}
}

static void test_names_are_distinct(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NLISTED; i++)
		for (unsigned j = i + 1; j < NLISTED; j++)
			assert_string_not_equal(listed[i].name, listed[j].name);
}

/* The table has a name at exactly the listed numbers: none lost, none left over. */
static void test_table_is_the_list(void **state)
{
	(void)state;
	unsigned named = 0;

	for (unsigned r = 0; r < EXIT_REASON_MAX; r++)
		named += strcmp(exit_reason_name(r), "unknown") != 0;
	assert_int_equal(named, NLISTED);
	assert_int_equal(listed[NLISTED - 1].nr, EXIT_REASON_MAX - 1);
}

static void test_unlisted_numbers_are_unknown(void **state)
{
	(void)state;
	static const unsigned gaps[] = { 5, 6, 35, 38, 42, EXIT_REASON_MAX, 0xffff };

	for (unsigned i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++)
		assert_string_equal(exit_reason_name(gaps[i]), "unknown");
}

/* Numbers from SDM Vol. 3D, Appendix C, Table C-1, and the names the records, the
 * figures and paper/numbers.txt key on. */
static void test_numbers_are_the_sdm_s(void **state)
{
	(void)state;
	assert_int_equal(EXIT_REASON_EXCEPTION_NMI, 0);
	assert_int_equal(EXIT_REASON_TRIPLE_FAULT, 2);
	assert_int_equal(EXIT_REASON_CPUID, 10);
	assert_int_equal(EXIT_REASON_VMCALL, 18);
	assert_int_equal(EXIT_REASON_CR_ACCESS, 28);
	assert_int_equal(EXIT_REASON_IO_INSTRUCTION, 30);
	assert_int_equal(EXIT_REASON_INVALID_STATE, 33);
	assert_int_equal(EXIT_REASON_MWAIT_INSTRUCTION, 36);
	assert_int_equal(EXIT_REASON_EPT_VIOLATION, 48);
	assert_int_equal(EXIT_REASON_PREEMPTION_TIMER, 52);
	assert_int_equal(EXIT_REASON_XSETBV, 55);
	assert_int_equal(EXIT_REASON_XRSTORS, 64);
	assert_string_equal(exit_reason_name(10), "cpuid");
	assert_string_equal(exit_reason_name(30), "io_instruction");
	assert_string_equal(exit_reason_name(33), "invalid_guest_state");
	assert_string_equal(exit_reason_name(48), "ept_violation");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_listed_reason_is_named),
		cmocka_unit_test(test_names_are_distinct),
		cmocka_unit_test(test_table_is_the_list),
		cmocka_unit_test(test_unlisted_numbers_are_unknown),
		cmocka_unit_test(test_numbers_are_the_sdm_s),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
