/* Interruption information (vmm/vmx.h; SDM 24.8.3, 24.9.2): the type read out of a
 * field compares equal to the INTR_TYPE_* constant that was written into it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "vmx.h"

/* Fields as the CPU reports them in VM_EXIT_INTR_INFO: valid, type in 10:8, vector. */
#define UD_EXIT     0x80000306u /* hardware exception, #UD */
#define GP_EXIT     0x80000b0du /* hardware exception, #GP, error code valid */
#define NMI_EXIT    0x80000202u
#define EXTINT_EXIT 0x80000020u /* external interrupt, vector 32 */
#define INT3_EXIT   0x80000603u /* software exception, #BP */

static void test_type_of_reported_fields(void **state)
{
	(void)state;
	assert_int_equal(INTR_INFO_TYPE(UD_EXIT), INTR_TYPE_HARD_EXCEPTION);
	assert_int_equal(INTR_INFO_VECTOR(UD_EXIT), 6);
	assert_int_equal(INTR_INFO_TYPE(GP_EXIT), INTR_TYPE_HARD_EXCEPTION);
	assert_true(GP_EXIT & INTR_INFO_DELIVER_CODE);
	assert_int_equal(INTR_INFO_TYPE(NMI_EXIT), INTR_TYPE_NMI);
	assert_int_equal(INTR_INFO_TYPE(EXTINT_EXIT), INTR_TYPE_EXT_INTR);
	assert_int_equal(INTR_INFO_TYPE(INT3_EXIT), INTR_TYPE_SOFT_EXCEPTION);
	assert_int_not_equal(INTR_INFO_TYPE(NMI_EXIT), INTR_TYPE_HARD_EXCEPTION);
}

/* What vcpu_inject composes reads back as what it put in. */
static void test_composed_field_reads_back(void **state)
{
	(void)state;
	static const uint32_t types[] = {
		INTR_TYPE_EXT_INTR, INTR_TYPE_NMI, INTR_TYPE_HARD_EXCEPTION, INTR_TYPE_SOFT_EXCEPTION,
	};
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint32_t f = INTR_INFO_VALID | types[i] | INTR_INFO_DELIVER_CODE | 0xff;
		assert_int_equal(INTR_INFO_TYPE(f), types[i]);
		assert_int_equal(INTR_INFO_VECTOR(f), 0xff);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_of_reported_fields),
		cmocka_unit_test(test_composed_field_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
