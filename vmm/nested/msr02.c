/* msr02.c - L2's MSR bitmap at run time, and the RDMSR/WRMSR of L2 that L1 did not
 * ask to see (msr02_bitmap.h has the design). Such an access exited either because
 * L0 intercepts it for L1 too, and then L0's own handler answers L2 as it answers
 * L1 (msr.c), or only because L2's bitmap intercepts nearly everything: then L0
 * performs it on the real MSR, as L2 would have done itself. Those MSRs are not
 * switched by VM entry or exit (the ones that are, are direct), and L0 does not
 * use them, so the real MSR holds L2's value. */
#include <stddef.h>
#include "cpu.h"
#include "exception.h"
#include "exits.h"
#include "frame.h"
#include "kernel.h"
#include "nested/msr02_bitmap.h"
#include "nested/vmcs12.h"
#include "printf.h"
#include "vmx.h"


static uint64_t *page02;
static const uint64_t *l0;
static struct msr02_word words[MSR02_MAX_WORDS];
static unsigned nwords;

uint64_t msr02_bitmap(void)
{
	if (!page02) {
		l0 = (const uint64_t *)(uintptr_t)vmcs_read64(MSR_BITMAP);  /* vmcs01's */
		page02 = (uint64_t *)(uintptr_t)frames_get_table(NULL);
		if (!page02)
			panic("no memory for L2's MSR bitmap");
		msr02_all(page02);
		nwords = msr02_words(l0, words);
	}
	return (uint64_t)(uintptr_t)page02;
}

void msr02_enter(const struct vcpu *v, uint64_t l1_bitmap)
{
	const uint64_t *l1 = gpa_in_ram(v, l1_bitmap, 4096) ? gpa_ptr(v, l1_bitmap) : NULL;

	msr02_refresh(page02, l1, words, nwords);
}

/* Whether L0 intercepts this access of L1's. */
static bool l0_intercepts(uint32_t msr, bool write)
{
	int bit = msr_bitmap_bit(msr, write);

	return bit < 0 || (l0[bit / 64] >> (bit % 64) & 1);
}

enum exit_action msr02_rdmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.gpr[GPR_RCX];
	uint64_t val = 0;

	if (l0_intercepts(msr, false))
		return handle_rdmsr(v);
	bool ok = !rdmsr_safe(msr, &val);

	return rdmsr_done(v, ok, val);
}

enum exit_action msr02_wrmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.gpr[GPR_RCX];
	uint64_t val = edx_eax(v);

	if (l0_intercepts(msr, true))
		return handle_wrmsr(v);
	if (wrmsr_safe(msr, val))
		vcpu_inject(EXC_GP, 0);
	else
		vcpu_skip(RDMSR_WRMSR_LEN);
	return HV_RESUME;
}
