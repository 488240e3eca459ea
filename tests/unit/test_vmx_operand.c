/* Decoding a VMX instruction's operand (vmm/nested/operand.c) from instruction
 * information as the SDM's table lays it out (27.2.5): scaling 1:0, reg1 6:3,
 * address size 9:7, mem/reg 10, segment 17:15, index 21:18 (+22 invalid), base
 * 26:23 (+27 invalid), reg2 31:28. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "exception.h"
#include "nested/operand.h"

#define SCALE(s)   ((uint32_t)(s))
#define REG1(r)    ((uint32_t)(r) << 3)
#define ASIZE(a)   ((uint32_t)(a) << 7)
#define ISREG      (1u << 10)
#define SEG(s)     ((uint32_t)(s) << 15)
#define INDEX(r)   ((uint32_t)(r) << 18)
#define NOINDEX    (1u << 22)
#define BASE(r)    ((uint32_t)(r) << 23)
#define NOBASE     (1u << 27)
#define REG2(r)    ((uint32_t)(r) << 28)

static const uint64_t gpr[16] = {
	[0] = 0x1000, [1] = 0x20, [3] = 0xffffffffffff0000ULL, [4] = 0x7ff0, [13] = 0x300000,
};

static struct vmx_operand decode(uint32_t info, uint64_t disp, bool reg_form)
{
	struct vmx_operand op;

	assert_int_equal(vmx_operand_decode(info, disp, gpr, reg_form, &op), 0);
	return op;
}

static void test_base_index_scale_disp(void **state)
{
	(void)state;
	/* vmptrld 0x10(%rax,%rcx,8): 64-bit addresses, DS */
	struct vmx_operand op = decode(SCALE(3) | ASIZE(2) | SEG(3) | INDEX(1) | BASE(0), 0x10,
				       false);
	assert_false(op.is_reg);
	assert_int_equal(op.offset, 0x1000 + 0x20 * 8 + 0x10);
	assert_int_equal(op.seg, SEG_DS);
	assert_int_equal(op.addr_bytes, 8);
}

static void test_negative_displacement_and_rsp_base(void **state)
{
	(void)state;
	/* vmptrst -8(%rsp): SS, no index */
	struct vmx_operand op = decode(ASIZE(2) | SEG(2) | NOINDEX | BASE(4), (uint64_t)-8, false);
	assert_int_equal(op.offset, 0x7ff0 - 8);
	assert_int_equal(op.seg, SEG_SS);
}

static void test_absolute_and_rip_relative(void **state)
{
	(void)state;
	/* No base, no index: the displacement is the address (Bochs puts RIP-relative
	 * operands' RIP + displacement there too). */
	struct vmx_operand op = decode(ASIZE(2) | SEG(3) | NOINDEX | NOBASE, 0x123456, false);
	assert_int_equal(op.offset, 0x123456);
}

static void test_address_size_wraps(void **state)
{
	(void)state;
	/* 32-bit address: (%ebx) + 0x20000 wraps at 4 GiB */
	struct vmx_operand op = decode(ASIZE(1) | SEG(3) | NOINDEX | BASE(3), 0x20000, false);
	assert_int_equal(op.offset, 0x10000);
	assert_int_equal(op.addr_bytes, 4);
	/* 16-bit */
	op = decode(ASIZE(0) | SEG(3) | NOINDEX | BASE(13), 0xffff, false);
	assert_int_equal(op.offset, 0xffff);
	assert_int_equal(op.addr_bytes, 2);
}

static void test_register_form_only_where_defined(void **state)
{
	(void)state;
	/* vmread %rax -> %r13: reg1 13, reg2 0 */
	struct vmx_operand op = decode(REG1(13) | ISREG | REG2(0), 0, true);
	assert_true(op.is_reg);
	assert_int_equal(op.reg, 13);
	assert_int_equal(op.reg2, 0);
	/* VMPTRLD: bit 10 undefined, the operand is memory whatever it says */
	op = decode(ISREG | ASIZE(2) | SEG(3) | NOINDEX | BASE(0), 0, false);
	assert_false(op.is_reg);
	assert_int_equal(op.offset, 0x1000);
	/* reg2 of a memory form */
	op = decode(ASIZE(2) | SEG(3) | NOINDEX | BASE(0) | REG2(15), 0, true);
	assert_false(op.is_reg);
	assert_int_equal(op.reg2, 15);
}

static void test_undefined_encodings(void **state)
{
	(void)state;
	struct vmx_operand op;
	assert_int_equal(vmx_operand_decode(ASIZE(3) | SEG(3), 0, gpr, false, &op), -1);
	assert_int_equal(vmx_operand_decode(ASIZE(2) | SEG(6), 0, gpr, false, &op), -1);
}

static void test_linear_64bit(void **state)
{
	(void)state;
	struct vmx_segment s = { .base = 0x5000, .long_mode = true, .va_bits = 48 };
	struct vmx_operand op = { .seg = SEG_DS, .offset = 0x1000, .addr_bytes = 8 };
	uint64_t gla = 0;
	/* DS's base does not count in 64-bit mode, FS's does */
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), 0);
	assert_int_equal(gla, 0x1000);
	op.seg = SEG_FS;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), 0);
	assert_int_equal(gla, 0x6000);
	/* non-canonical: #GP, or #SS through SS; the last byte counts too */
	op.seg = SEG_DS;
	op.offset = 0x0000800000000000ULL;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), EXC_GP);
	op.seg = SEG_SS;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), EXC_SS);
	op.seg = SEG_DS;
	op.offset = 0x00007ffffffffffcULL;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), EXC_GP);
	op.offset = 0xffff800000000000ULL;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), 0);
	s.va_bits = 57;
	op.offset = 0x0000800000000000ULL;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), 0);
}

static void test_linear_32bit_limit(void **state)
{
	(void)state;
	struct vmx_segment s = { .base = 0x100000, .limit = 0xfff, .long_mode = false };
	struct vmx_operand op = { .seg = SEG_DS, .offset = 0xff8, .addr_bytes = 4 };
	uint64_t gla = 0;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), 0);
	assert_int_equal(gla, 0x100ff8);
	op.offset = 0xffc;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), EXC_GP);
	op.seg = SEG_SS;
	assert_int_equal(vmx_operand_linear(&op, &s, 8, &gla), EXC_SS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_index_scale_disp),
		cmocka_unit_test(test_negative_displacement_and_rsp_base),
		cmocka_unit_test(test_absolute_and_rip_relative),
		cmocka_unit_test(test_address_size_wraps),
		cmocka_unit_test(test_register_form_only_where_defined),
		cmocka_unit_test(test_undefined_encodings),
		cmocka_unit_test(test_linear_64bit),
		cmocka_unit_test(test_linear_32bit_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
