/* cr_check.c - see cr_check.h. */
#include "cr_check.h"
#include "cr.h"
#include "msr.h"

bool cr0_write_ok(uint64_t val, uint64_t old, uint64_t cr4, uint64_t efer)
{
	if ((val >> 32) ||                                  /* reserved, bits 63:32 */
	    ((val & CR0_PG) && !(val & CR0_PE)) ||
	    ((val & CR0_NW) && !(val & CR0_CD)) ||
	    ((val & CR0_PG) && (efer & EFER_LME) && !(cr4 & CR4_PAE)))
		return false;
	/* Leaving IA-32e mode (clearing PG with EFER.LMA) with PCIDs on. */
	if ((old & CR0_PG) && !(val & CR0_PG) && (efer & EFER_LMA) && (cr4 & CR4_PCIDE))
		return false;
	return true;
}

bool cr4_write_ok(uint64_t val, uint64_t old, uint64_t efer, uint64_t supported)
{
	bool lma = efer & EFER_LMA;

	/* IA-32e mode needs PAE and cannot switch between 4- and 5-level paging. */
	return !(val & ~supported) &&
	       !(lma && !(val & CR4_PAE)) && !(lma && ((val ^ old) & CR4_LA57));
}

bool xcr0_write_ok(uint32_t index, uint64_t val, uint64_t supported)
{
	/* x87 always on; AVX needs SSE; the three AVX-512 components together, on top
	 * of AVX. Any further rule a newer CPU adds is left to XSETBV itself. */
	return index == 0 && (val & XCR0_X87) && !(val & ~supported) &&
	       !((val & XCR0_AVX) && !(val & XCR0_SSE)) &&
	       !((val & XCR0_AVX512) && (val & XCR0_AVX512) != XCR0_AVX512) &&
	       !((val & XCR0_AVX512) && !(val & XCR0_AVX));
}
