/* test_cr_check.c - unit tests for the legality checks of MOV to CR0/CR4 and XSETBV
 * (vmm/cr_check.c): each #GP condition the SDM gives, next to a legal value that
 * differs from it only in the bit in question. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "cr.h"
#include "cr_check.h"
#include "msr.h"

#define BIT(n) BIT_ULL(n)

#define CR0_LONG (CR0_PG | CR0_NE | CR0_ET | CR0_PE)
#define EFER_LONG (EFER_LME | EFER_LMA)
#define CR4_LONG CR4_PAE
/* FIXED1 of a CPU with LA57, PCIDE, OSXSAVE and VMX: bits 0-13, 16-18, 20-22 */
#define CR4_SUPPORTED 0x773fffULL

static void test_cr0(void **state)
{
	(void)state;
	/* Real mode to protected mode to paging, 32-bit. */
	assert_true(cr0_write_ok(CR0_PE | CR0_ET, CR0_ET, 0, 0));
	assert_true(cr0_write_ok(CR0_PG | CR0_PE, CR0_PE, 0, 0));
	/* Bits 63:32 are reserved. */
	assert_false(cr0_write_ok(BIT(32) | CR0_PE, CR0_PE, 0, 0));
	assert_false(cr0_write_ok(BIT(63) | CR0_LONG, CR0_LONG, CR4_LONG, EFER_LONG));
	/* PG without PE. */
	assert_false(cr0_write_ok(CR0_PG, 0, 0, 0));
	/* NW without CD; CD alone and CD with NW are fine. */
	assert_false(cr0_write_ok(CR0_NW | CR0_PE, CR0_PE, 0, 0));
	assert_true(cr0_write_ok(CR0_CD | CR0_PE, CR0_PE, 0, 0));
	assert_true(cr0_write_ok(CR0_CD | CR0_NW | CR0_PE, CR0_PE, 0, 0));
	/* Paging on with EFER.LME set needs CR4.PAE (it enters IA-32e mode). */
	assert_false(cr0_write_ok(CR0_PG | CR0_PE, CR0_PE, 0, EFER_LME));
	assert_true(cr0_write_ok(CR0_PG | CR0_PE, CR0_PE, CR4_PAE, EFER_LME));
	/* Leaving IA-32e mode with CR4.PCIDE set; without it, allowed. */
	assert_false(cr0_write_ok(CR0_PE, CR0_LONG, CR4_LONG | CR4_PCIDE, EFER_LONG));
	assert_true(cr0_write_ok(CR0_PE, CR0_LONG, CR4_LONG, EFER_LONG));
	/* A write that keeps paging on is no exit from IA-32e mode. */
	assert_true(cr0_write_ok(CR0_LONG | CR0_CD, CR0_LONG, CR4_LONG | CR4_PCIDE, EFER_LONG));
}

static void test_cr4(void **state)
{
	(void)state;
	assert_true(cr4_write_ok(CR4_PAE, 0, 0, CR4_SUPPORTED));
	assert_true(cr4_write_ok(CR4_LONG | CR4_OSXSAVE, CR4_LONG, EFER_LONG, CR4_SUPPORTED));
	/* A bit the CPU does not have (clear in FIXED1) is reserved. */
	assert_false(cr4_write_ok(BIT(15), 0, 0, CR4_SUPPORTED));
	assert_false(cr4_write_ok(BIT(32), 0, 0, CR4_SUPPORTED));
	assert_false(cr4_write_ok(CR4_LA57, 0, 0, CR4_SUPPORTED & ~CR4_LA57));
	/* VMXE follows what the caller says the guest's CPU has (guest_sees_vmx()). */
	assert_true(cr4_write_ok(CR4_VMXE, 0, 0, CR4_SUPPORTED));
	assert_false(cr4_write_ok(CR4_VMXE, 0, 0, CR4_SUPPORTED & ~CR4_VMXE));
	/* IA-32e mode needs PAE... */
	assert_false(cr4_write_ok(0, CR4_LONG, EFER_LONG, CR4_SUPPORTED));
	assert_true(cr4_write_ok(0, CR4_PAE, 0, CR4_SUPPORTED));
	/* ...and cannot change LA57, in either direction; outside it, LA57 is free. */
	assert_false(cr4_write_ok(CR4_LONG | CR4_LA57, CR4_LONG, EFER_LONG, CR4_SUPPORTED));
	assert_false(cr4_write_ok(CR4_LONG, CR4_LONG | CR4_LA57, EFER_LONG, CR4_SUPPORTED));
	assert_true(cr4_write_ok(CR4_LONG | CR4_LA57, CR4_LONG | CR4_LA57, EFER_LONG,
				 CR4_SUPPORTED));
	assert_true(cr4_write_ok(CR4_PAE | CR4_LA57, CR4_PAE, EFER_LME, CR4_SUPPORTED));
}

#define X87 BIT(0)
#define SSE BIT(1)
#define AVX BIT(2)
#define OPMASK BIT(5)
#define ZMM_HI256 BIT(6)
#define HI16_ZMM BIT(7)
#define AVX512 (OPMASK | ZMM_HI256 | HI16_ZMM)
#define PKRU BIT(9)

static void test_xcr0(void **state)
{
	const uint64_t all = X87 | SSE | AVX | AVX512 | PKRU;

	(void)state;
	assert_true(xcr0_write_ok(0, X87, all));
	assert_true(xcr0_write_ok(0, X87 | SSE | AVX, all));
	assert_true(xcr0_write_ok(0, all, all));
	/* Only XCR0 exists. */
	assert_false(xcr0_write_ok(1, X87, all));
	/* x87 state cannot be turned off. */
	assert_false(xcr0_write_ok(0, SSE, all));
	assert_false(xcr0_write_ok(0, 0, all));
	/* A component the CPU does not report in CPUID.(0DH,0). */
	assert_false(xcr0_write_ok(0, X87 | SSE | AVX, X87 | SSE));
	assert_false(xcr0_write_ok(0, X87 | BIT(63), all | BIT(63) >> 1));
	/* AVX needs SSE. */
	assert_false(xcr0_write_ok(0, X87 | AVX, all));
	/* The AVX-512 components go together, and on top of AVX. */
	assert_false(xcr0_write_ok(0, X87 | SSE | AVX | OPMASK, all));
	assert_false(xcr0_write_ok(0, X87 | SSE | AVX | OPMASK | ZMM_HI256, all));
	assert_false(xcr0_write_ok(0, X87 | SSE | AVX512, all));
	assert_true(xcr0_write_ok(0, X87 | SSE | AVX | AVX512, all));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cr0),
		cmocka_unit_test(test_cr4),
		cmocka_unit_test(test_xcr0),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
