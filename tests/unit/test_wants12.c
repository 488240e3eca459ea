/* Which exits of L2 L1 asked for (vmm/nested/wants12.c), as SDM 25.1-25.2 read
 * them from L1's vmcs12: I/O by unconditional exiting and the I/O bitmaps, RDMSR
 * and WRMSR by the MSR bitmap, control-register accesses by the masks, shadows,
 * CR3 targets and CR3/CR8 controls, exceptions by the exception bitmap and the
 * page-fault error-code mask and match. L1's memory is a small array. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "cr.h"
#include "exception.h"
#include "nested/wants12.h"
#include "vmx.h"

#define IO_A 0x1000u
#define IO_B 0x2000u
#define MSRS 0x3000u
#define MEM 0x4000u

static uint8_t mem[MEM];
static struct vmcs12 r;

static bool bit_of(void *ctx, uint64_t gpa, unsigned bit)
{
	(void)ctx;
	uint64_t byte = gpa + bit / 8;
	return byte >= MEM || (mem[byte] >> (bit % 8) & 1);
}

static void set_bit(uint64_t page, unsigned bit)
{
	mem[page + bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	memset(&r, 0, sizeof(r));
	F12(&r, IO_BITMAP_A) = IO_A;
	F12(&r, IO_BITMAP_B) = IO_B;
	F12(&r, MSR_BITMAP) = MSRS;
	return 0;
}

static void proc(uint32_t p)
{
	F12(&r, CPU_BASED_VM_EXEC_CONTROL) = p;
}

/* Exit qualification of an I/O instruction (Table 27-5): size - 1, port. */
static uint64_t io_q(unsigned port, unsigned size)
{
	return (uint64_t)port << 16 | (size - 1);
}

static void test_io_unconditional(void **state)
{
	(void)state;
	assert_false(wants12_io(&r, io_q(0x3f8, 1), bit_of, NULL));
	proc(CPU_BASED_UNCOND_IO_EXITING);
	assert_true(wants12_io(&r, io_q(0x3f8, 1), bit_of, NULL));
}

static void test_io_bitmaps(void **state)
{
	(void)state;
	/* The bitmaps take precedence over unconditional exiting (24.6.4). */
	proc(CPU_BASED_USE_IO_BITMAPS | CPU_BASED_UNCOND_IO_EXITING);
	assert_false(wants12_io(&r, io_q(0xe9, 1), bit_of, NULL));
	set_bit(IO_A, 0xe9);
	assert_true(wants12_io(&r, io_q(0xe9, 1), bit_of, NULL));
	assert_false(wants12_io(&r, io_q(0xea, 1), bit_of, NULL));
	/* A 4-byte access exits if any of its ports' bits is set. */
	assert_true(wants12_io(&r, io_q(0xe7, 4), bit_of, NULL));
	/* Ports 0x8000 and up are in bitmap B, at their offset from 0x8000. */
	assert_false(wants12_io(&r, io_q(0x80e9, 1), bit_of, NULL));
	set_bit(IO_B, 0xe9);
	assert_true(wants12_io(&r, io_q(0x80e9, 1), bit_of, NULL));
	/* An access that wraps past 0xffff always exits. */
	assert_false(wants12_io(&r, io_q(0xfffe, 2), bit_of, NULL));
	assert_true(wants12_io(&r, io_q(0xffff, 2), bit_of, NULL));
}

static void test_msr(void **state)
{
	(void)state;
	/* Without MSR bitmaps, every RDMSR and WRMSR exits. */
	assert_true(wants12_msr(&r, 0x10, false, bit_of, NULL));
	proc(CPU_BASED_USE_MSR_BITMAPS);
	assert_false(wants12_msr(&r, 0x10, false, bit_of, NULL));
	set_bit(MSRS, 0x10);                       /* read, low */
	assert_true(wants12_msr(&r, 0x10, false, bit_of, NULL));
	assert_false(wants12_msr(&r, 0x10, true, bit_of, NULL));
	set_bit(MSRS + 3072, 0x80);                /* write, high: 0xc0000080 */
	assert_true(wants12_msr(&r, 0xc0000080, true, bit_of, NULL));
	assert_false(wants12_msr(&r, 0xc0000080, false, bit_of, NULL));
	/* Outside both ranges: always. */
	assert_true(wants12_msr(&r, 0x40000000, false, bit_of, NULL));
	assert_true(wants12_msr(&r, 0xc0002000, true, bit_of, NULL));
}

/* Exit qualification of a control-register access (Table 27-3). */
static uint64_t cr_q(unsigned cr, unsigned type, unsigned reg, unsigned lmsw)
{
	return cr | type << 4 | reg << 8 | (uint64_t)lmsw << 16;
}

static void test_cr0_cr4_masks(void **state)
{
	(void)state;
	F12(&r, CR0_GUEST_HOST_MASK) = CR0_CD | CR0_NW;
	F12(&r, CR0_READ_SHADOW) = CR0_PE;
	/* A bit L1 does not own may change; an owned one only to its shadow's value. */
	assert_false(wants12_cr(&r, cr_q(0, 0, 0, 0), CR0_PE | CR0_PG));
	assert_true(wants12_cr(&r, cr_q(0, 0, 0, 0), CR0_PE | CR0_CD));
	F12(&r, CR4_GUEST_HOST_MASK) = CR4_VMXE;
	F12(&r, CR4_READ_SHADOW) = 0;
	assert_false(wants12_cr(&r, cr_q(4, 0, 0, 0), CR4_PAE));
	assert_true(wants12_cr(&r, cr_q(4, 0, 0, 0), CR4_PAE | CR4_VMXE));
}

static void test_cr3_cr8(void **state)
{
	(void)state;
	assert_false(wants12_cr(&r, cr_q(3, 0, 0, 0), 0x1000));
	proc(CPU_BASED_CR3_LOAD_EXITING);
	assert_true(wants12_cr(&r, cr_q(3, 0, 0, 0), 0x1000));
	/* Only the first CR3-target-count targets count. */
	F12(&r, CR3_TARGET_VALUE1) = 0x1000;
	F12(&r, CR3_TARGET_COUNT) = 1;
	assert_true(wants12_cr(&r, cr_q(3, 0, 0, 0), 0x1000));
	F12(&r, CR3_TARGET_COUNT) = 2;
	assert_false(wants12_cr(&r, cr_q(3, 0, 0, 0), 0x1000));
	assert_false(wants12_cr(&r, cr_q(3, 1, 0, 0), 0));
	proc(CPU_BASED_CR3_STORE_EXITING);
	assert_true(wants12_cr(&r, cr_q(3, 1, 0, 0), 0));
	assert_false(wants12_cr(&r, cr_q(8, 0, 0, 0), 0));
	assert_false(wants12_cr(&r, cr_q(8, 1, 0, 0), 0));
	proc(CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING);
	assert_true(wants12_cr(&r, cr_q(8, 0, 0, 0), 0));
	assert_true(wants12_cr(&r, cr_q(8, 1, 0, 0), 0));
}

static void test_clts_lmsw(void **state)
{
	(void)state;
	/* CLTS exits when L1 owns TS and its shadow has TS set. */
	F12(&r, CR0_GUEST_HOST_MASK) = CR0_TS;
	assert_false(wants12_cr(&r, cr_q(0, 2, 0, 0), 0));
	F12(&r, CR0_READ_SHADOW) = CR0_TS;
	assert_true(wants12_cr(&r, cr_q(0, 2, 0, 0), 0));
	/* LMSW: PE exits only when it would set it; MP, EM, TS when they differ. */
	F12(&r, CR0_GUEST_HOST_MASK) = CR0_PE | CR0_MP;
	F12(&r, CR0_READ_SHADOW) = 0;
	assert_true(wants12_cr(&r, cr_q(0, 3, 0, CR0_PE), 0));
	assert_false(wants12_cr(&r, cr_q(0, 3, 0, 0), 0));
	F12(&r, CR0_READ_SHADOW) = CR0_PE;
	assert_false(wants12_cr(&r, cr_q(0, 3, 0, 0), 0));  /* LMSW cannot clear PE */
	assert_true(wants12_cr(&r, cr_q(0, 3, 0, CR0_PE | CR0_MP), 0));
	assert_false(wants12_cr(&r, cr_q(0, 3, 0, CR0_PE | CR0_EM), 0));
}

static uint32_t hw_exc(unsigned vec)
{
	return INTR_INFO_VALID | INTR_TYPE_HARD_EXCEPTION | vec;
}

static void test_exceptions(void **state)
{
	(void)state;
	assert_false(wants12_exception(&r, hw_exc(EXC_UD), 0));
	F12(&r, EXCEPTION_BITMAP) = 1u << EXC_UD | 1u << EXC_PF | 1u << 2;
	assert_true(wants12_exception(&r, hw_exc(EXC_UD), 0));
	assert_false(wants12_exception(&r, hw_exc(EXC_GP), 0));
	/* An NMI is L0's, whatever bit 2 says. */
	assert_false(wants12_exception(&r, INTR_INFO_VALID | INTR_TYPE_NMI | 2, 0));
	/* #PF: mask/match decide whether the bit counts as is or inverted. */
	assert_true(wants12_exception(&r, hw_exc(EXC_PF), 0x2));
	F12(&r, PAGE_FAULT_ERROR_CODE_MASK) = 0x1;
	F12(&r, PAGE_FAULT_ERROR_CODE_MATCH) = 0x1;
	assert_false(wants12_exception(&r, hw_exc(EXC_PF), 0x2));
	assert_true(wants12_exception(&r, hw_exc(EXC_PF), 0x3));
	F12(&r, EXCEPTION_BITMAP) = 0;
	assert_true(wants12_exception(&r, hw_exc(EXC_PF), 0x2));
	assert_false(wants12_exception(&r, hw_exc(EXC_PF), 0x3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_io_unconditional, setup),
		cmocka_unit_test_setup(test_io_bitmaps, setup),
		cmocka_unit_test_setup(test_msr, setup),
		cmocka_unit_test_setup(test_cr0_cr4_masks, setup),
		cmocka_unit_test_setup(test_cr3_cr8, setup),
		cmocka_unit_test_setup(test_clts_lmsw, setup),
		cmocka_unit_test_setup(test_exceptions, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
