/* Where L1's VMCS fields live and the VMREAD/VMWRITE bitmaps of VMCS shadowing
 * (vmm/nested/shadow_vmcs.c): guest state and exit information in vmcs02, reached
 * without an exit; controls, host state, the link pointer, the preemption timer and
 * unlisted or too wide encodings always exit; L1's VMWRITE of exit information
 * exits (it is refused there, IA32_VMX_MISC[29] not being offered to L1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "nested/shadow_vmcs.h"
#include "vmx.h"

static const struct shadow_platform skx = { .vmwrite_any = true, .perf_global = true };
static bool in02[VMCS_FIELD_COUNT];
static uint8_t rd[VMCS_BITMAP_BYTES], wr[VMCS_BITMAP_BYTES];

static int setup_skx(void **state)
{
	(void)state;
	shadow_fields(&skx, in02);
	shadow_bitmaps(in02, rd, wr);
	return 0;
}

#define READS(enc) shadow_bitmap_passes(rd, enc)
#define WRITES(enc) shadow_bitmap_passes(wr, enc)

/* Each of the n encodings passes the VMREAD bitmap if reads, the VMWRITE one if writes. */
static void expect_passes(const uint32_t *encs, size_t n, bool reads, bool writes)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(READS(encs[i]), reads);
		assert_int_equal(WRITES(encs[i]), writes);
	}
}

static void test_guest_state_passes_both_ways(void **state)
{
	(void)state;
	static const uint32_t guest[] = {
		GUEST_ES_SELECTOR, GUEST_TR_SELECTOR, GUEST_CS_LIMIT, GUEST_CS_AR_BYTES,
		GUEST_INTERRUPTIBILITY_INFO, GUEST_CR0, GUEST_CR3, GUEST_CR4, GUEST_RIP,
		GUEST_RSP, GUEST_RFLAGS, GUEST_IA32_EFER, GUEST_IA32_EFER + 1,
		GUEST_IA32_PAT, GUEST_PDPTR3 + 1, GUEST_SYSENTER_EIP,
		VM_ENTRY_INTR_INFO_FIELD, VM_ENTRY_EXCEPTION_ERROR_CODE, VM_ENTRY_INSTRUCTION_LEN,
	};
	expect_passes(guest, sizeof(guest) / sizeof(guest[0]), true, true);
}

static void test_exit_information_reads_only(void **state)
{
	(void)state;
	static const uint32_t info[] = {
		VM_EXIT_REASON, EXIT_QUALIFICATION, VM_EXIT_INTR_INFO, VM_EXIT_INSTRUCTION_LEN,
		VM_INSTRUCTION_ERROR, GUEST_PHYSICAL_ADDRESS, GUEST_PHYSICAL_ADDRESS + 1,
		GUEST_LINEAR_ADDRESS, IDT_VECTORING_INFO_FIELD, VMX_INSTRUCTION_INFO,
	};
	expect_passes(info, sizeof(info) / sizeof(info[0]), true, false);
}

static void test_controls_and_host_state_exit(void **state)
{
	(void)state;
	static const uint32_t l0s[] = {
		PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL, SECONDARY_VM_EXEC_CONTROL,
		VM_EXIT_CONTROLS, VM_ENTRY_CONTROLS, EXCEPTION_BITMAP, MSR_BITMAP, MSR_BITMAP + 1,
		IO_BITMAP_A, EPT_POINTER, VIRTUAL_PROCESSOR_ID, TSC_OFFSET,
		CR0_GUEST_HOST_MASK, CR0_READ_SHADOW, CR4_READ_SHADOW, CR3_TARGET_VALUE0,
		VM_EXIT_MSR_LOAD_ADDR, VMCS_LINK_POINTER, VMCS_LINK_POINTER + 1,
		VMX_PREEMPTION_TIMER_VALUE, HOST_CR0, HOST_RIP, HOST_RSP, HOST_CS_SELECTOR,
		HOST_IA32_EFER, HOST_IA32_SYSENTER_CS, VMREAD_BITMAP, VMWRITE_BITMAP,
		GUEST_SMBASE, GUEST_INTR_STATUS, PML_ADDRESS,
	};
	expect_passes(l0s, sizeof(l0s) / sizeof(l0s[0]), false, false);
	for (size_t i = 0; i < sizeof(l0s) / sizeof(l0s[0]); i++) {
		int pos = vmcs_field_index(l0s[i]);
		assert_true(pos < 0 || !in02[pos]);
	}
}

/* Every bit outside the listed shadowed fields is set: unlisted encodings, high
 * accesses of 32-bit and natural-width fields, reserved bits; above 0x7fff there is
 * no bit, and the access exits. */
static void test_everything_else_exits(void **state)
{
	(void)state;
	unsigned clear_rd = 0, clear_wr = 0;
	for (uint32_t e = 0; e <= 0x7fff; e++) {
		int pos = vmcs_field_index(e);
		bool sh = pos >= 0 && in02[pos];
		if (READS(e)) {
			clear_rd++;
			assert_true(sh);
			assert_true(!(e & 1) || VMCS_FIELD_WIDTH(e) == VMCS_WIDTH_64);
		}
		if (WRITES(e)) {
			clear_wr++;
			assert_true(sh && !(vmcs_field_flags(e) & VF_RO));
		}
	}
	assert_true(clear_rd > clear_wr && clear_wr > 50);
	assert_false(READS(0x8000));
	assert_false(READS(GUEST_RIP | 0x10000));
	assert_false(WRITES(0x100000000ULL | GUEST_RIP));
}

/* Without IA32_VMX_MISC[29], L0 cannot write exit information into vmcs02 (a
 * synthetic exit): those fields stay in the region's slots and exit. Without the
 * PERF_GLOBAL_CTRL controls, the guest field does not exist in vmcs02. */
static void test_platform_limits(void **state)
{
	(void)state;
	const struct shadow_platform old = { .vmwrite_any = false, .perf_global = false };
	shadow_fields(&old, in02);
	shadow_bitmaps(in02, rd, wr);
	assert_false(in02[VMCS_POS_VM_EXIT_REASON]);
	assert_false(in02[VMCS_POS_EXIT_QUALIFICATION]);
	assert_false(READS(VM_EXIT_REASON));
	assert_false(in02[VMCS_POS_GUEST_IA32_PERF_GLOBAL_CTRL]);
	assert_false(READS(GUEST_IA32_PERF_GLOBAL_CTRL));
	assert_true(in02[VMCS_POS_GUEST_RIP]);
	assert_true(READS(GUEST_RIP) && WRITES(GUEST_RIP));
	assert_true(in02[VMCS_POS_VM_ENTRY_INTR_INFO_FIELD]);
}

/* Bochs's Skylake-X has both; its Sandy Bridge neither; each one alone is not enough. */
static void test_support(void **state)
{
	(void)state;
	const uint64_t skx_ctls2 = 0x02177fff00000000ULL, misc29 = 1ULL << 29;
	assert_null(shadow_unsupported(skx_ctls2, misc29));
	assert_non_null(shadow_unsupported(skx_ctls2 & ~(1ULL << 46), misc29));
	assert_non_null(shadow_unsupported(skx_ctls2, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_guest_state_passes_both_ways, setup_skx),
		cmocka_unit_test_setup(test_exit_information_reads_only, setup_skx),
		cmocka_unit_test_setup(test_controls_and_host_state_exit, setup_skx),
		cmocka_unit_test_setup(test_everything_else_exits, setup_skx),
		cmocka_unit_test(test_platform_limits),
		cmocka_unit_test(test_support),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
