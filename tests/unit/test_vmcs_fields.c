/* The VMCS field list (vmm/vmcs_fields.h) and the tables made from it
 * (vmm/vmcs_fields.c): every field is found by its encoding with its name and
 * flags, its stated width is its encoding's, no encoding or name is listed twice,
 * read-only means exactly VM-exit information, what is shadowed is what L1 may
 * access and never what L0 owns, and encodings outside the list are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vmx.h"

#define W_16  VMCS_WIDTH_16
#define W_32  VMCS_WIDTH_32
#define W_64  VMCS_WIDTH_64
#define W_NAT VMCS_WIDTH_NAT
#define LIST_ENTRY(name, enc, width, flags) { enc, W_##width, flags, #name },
static const struct { uint32_t enc; unsigned width, flags; const char *name; } listed[] = {
	VMCS_FIELDS(LIST_ENTRY)
};
#undef LIST_ENTRY
#define NLISTED (sizeof(listed) / sizeof(listed[0]))

enum { TYPE_CONTROL, TYPE_EXIT_INFO, TYPE_GUEST, TYPE_HOST };

static void test_every_field_is_found_by_its_encoding(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NLISTED; i++) {
		assert_true(vmcs_field_listed(listed[i].enc));
		assert_non_null(vmcs_field_name(listed[i].enc));
		assert_string_equal(vmcs_field_name(listed[i].enc), listed[i].name);
		assert_int_equal(vmcs_field_flags(listed[i].enc), listed[i].flags);
	}
}

static void test_width_is_the_encoding_s(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NLISTED; i++) {
		assert_int_equal(VMCS_FIELD_WIDTH(listed[i].enc), listed[i].width);
		assert_int_equal(listed[i].enc & VMCS_FIELD_HIGH, 0);
	}
}

static void test_no_field_is_listed_twice(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NLISTED; i++)
		for (unsigned j = i + 1; j < NLISTED; j++) {
			assert_int_not_equal(listed[i].enc, listed[j].enc);
			assert_string_not_equal(listed[i].name, listed[j].name);
		}
}

/* The tables hold the list and nothing else: counting every encoding that can be
 * a full access finds exactly the listed fields. */
static void test_tables_are_the_list(void **state)
{
	(void)state;
	unsigned found = 0;

	for (uint32_t enc = 0; enc < 0x8000; enc += 2)
		found += vmcs_field_listed(enc);
	assert_int_equal(found, NLISTED);
}

static void test_read_only_is_exit_information(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NLISTED; i++)
		assert_int_equal(!!(listed[i].flags & VF_RO),
				 VMCS_FIELD_TYPE(listed[i].enc) == TYPE_EXIT_INFO);
	assert_true(vmcs_field_flags(VM_EXIT_REASON) & VF_RO);
	assert_true(vmcs_field_flags(EXIT_QUALIFICATION) & VF_RO);
	assert_false(vmcs_field_flags(GUEST_RIP) & VF_RO);
}

/* Shadowed fields are served to L1 without an exit, so L1 must be allowed them, and
 * L0's own fields must never be among them: host state and the controls (save the
 * event L1 injects), the link pointer and the preemption timer. */
static void test_shadowed_is_l1_s_and_never_l0_s(void **state)
{
	(void)state;
	unsigned shadowed = 0;

	for (unsigned i = 0; i < NLISTED; i++) {
		uint32_t enc = listed[i].enc;
		if (!(listed[i].flags & VF_SH))
			continue;
		shadowed++;
		assert_true(listed[i].flags & VF_L1);
		assert_int_not_equal(VMCS_FIELD_TYPE(enc), TYPE_HOST);
		if (VMCS_FIELD_TYPE(enc) == TYPE_CONTROL)
			assert_true(enc == VM_ENTRY_INTR_INFO_FIELD ||
				    enc == VM_ENTRY_EXCEPTION_ERROR_CODE ||
				    enc == VM_ENTRY_INSTRUCTION_LEN);
		assert_int_not_equal(enc, VMCS_LINK_POINTER);
		assert_int_not_equal(enc, VMX_PREEMPTION_TIMER_VALUE);
	}
	assert_true(shadowed > 0);
	/* What L1's handlers touch on every exit is shadowed. */
	assert_true(vmcs_field_flags(VM_EXIT_REASON) & VF_SH);
	assert_true(vmcs_field_flags(GUEST_RIP) & VF_SH);
	assert_true(vmcs_field_flags(VM_EXIT_INSTRUCTION_LEN) & VF_SH);
}

/* Features not offered to L1 have fields L1 may not touch. */
static void test_l1_is_refused_what_it_is_not_offered(void **state)
{
	(void)state;
	assert_false(vmcs_field_flags(VMREAD_BITMAP) & VF_L1);
	assert_false(vmcs_field_flags(PML_ADDRESS) & VF_L1);
	assert_false(vmcs_field_flags(POSTED_INTR_DESC_ADDR) & VF_L1);
	assert_true(vmcs_field_flags(EPT_POINTER) & VF_L1);
	assert_true(vmcs_field_flags(HOST_RIP) & VF_L1);
}

/* A high access (bit 0) names the upper half of a 64-bit field; of any other width
 * it is no field. Reserved bits, unlisted indexes: no field. */
static void test_encodings_outside_the_list(void **state)
{
	(void)state;
	assert_true(vmcs_field_listed(EPT_POINTER | VMCS_FIELD_HIGH));
	assert_int_equal(vmcs_field_flags(EPT_POINTER | VMCS_FIELD_HIGH),
			 vmcs_field_flags(EPT_POINTER));
	assert_false(vmcs_field_listed(VM_EXIT_REASON | VMCS_FIELD_HIGH));
	assert_false(vmcs_field_listed(GUEST_RIP | VMCS_FIELD_HIGH));
	static const uint32_t bad[] = {
		0x8000 | VM_EXIT_REASON, 0x1000 | GUEST_RIP, 0x10000 | GUEST_CS_SELECTOR,
		0x4830 /* unlisted index */, 0x4400 | (40u << 1) /* index beyond the table */,
		0x6c18, 0xffffffffu,
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(vmcs_field_listed(bad[i]));
		assert_int_equal(vmcs_field_flags(bad[i]), 0);
		assert_null(vmcs_field_name(bad[i]));
	}
}

/* Encodings from SDM Vol. 3D, Appendix B. */
static void test_encodings_are_the_sdm_s(void **state)
{
	(void)state;
	assert_int_equal(VIRTUAL_PROCESSOR_ID, 0x0000);
	assert_int_equal(GUEST_TR_SELECTOR, 0x080e);
	assert_int_equal(EPT_POINTER, 0x201a);
	assert_int_equal(VMCS_LINK_POINTER, 0x2800);
	assert_int_equal(SECONDARY_VM_EXEC_CONTROL, 0x401e);
	assert_int_equal(VM_EXIT_REASON, 0x4402);
	assert_int_equal(VMX_PREEMPTION_TIMER_VALUE, 0x482e);
	assert_int_equal(EXIT_QUALIFICATION, 0x6400);
	assert_int_equal(GUEST_RIP, 0x681e);
	assert_int_equal(HOST_RSP, 0x6c14);
	assert_int_equal(HOST_RIP, 0x6c16);
	assert_string_equal(vmcs_field_name(0x4402), "VM_EXIT_REASON");
}

static void test_index_is_the_position_in_the_list(void **state)
{
	(void)state;
	assert_int_equal(NLISTED, VMCS_FIELD_COUNT);
	for (size_t i = 0; i < NLISTED; i++)
		assert_int_equal(vmcs_field_index(listed[i].enc), (int)i);
	/* a high access is its 64-bit field's; anything unlisted has none */
	assert_int_equal(vmcs_field_index(EPT_POINTER | VMCS_FIELD_HIGH),
			 vmcs_field_index(EPT_POINTER));
	assert_int_equal(vmcs_field_index(GUEST_RIP | VMCS_FIELD_HIGH), -1);
	assert_int_equal(vmcs_field_index(0x7ffe), -1);
	assert_int_equal(vmcs_field_index(0x10000 | GUEST_RIP), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_is_the_position_in_the_list),
		cmocka_unit_test(test_every_field_is_found_by_its_encoding),
		cmocka_unit_test(test_width_is_the_encoding_s),
		cmocka_unit_test(test_no_field_is_listed_twice),
		cmocka_unit_test(test_tables_are_the_list),
		cmocka_unit_test(test_read_only_is_exit_information),
		cmocka_unit_test(test_shadowed_is_l1_s_and_never_l0_s),
		cmocka_unit_test(test_l1_is_refused_what_it_is_not_offered),
		cmocka_unit_test(test_encodings_outside_the_list),
		cmocka_unit_test(test_encodings_are_the_sdm_s),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
