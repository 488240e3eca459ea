/* msr02_bitmap.c - L2's MSR bitmap; see msr02_bitmap.h. */
#include "nested/msr02_bitmap.h"
#include "msr.h"

#define MSR_LOW_END   0x2000u
#define MSR_HIGH_BASE 0xc0000000u
#define MSR_TSC       0x10u
#define MSR_DEBUGCTL  0x1d9u

/* The direct MSRs (msr02_bitmap.h), those whose value while L2 runs is not the one
 * the processor holds while L0 runs: SYSENTER_CS/ESP/EIP, DEBUGCTL, PAT,
 * PERF_GLOBAL_CTRL, EFER, FS_BASE and GS_BASE (VM entry and exit switch them), and
 * the TSC (L2's is offset). */
static const uint32_t direct[] = {
	MSR_TSC, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_CS + 1, MSR_IA32_SYSENTER_EIP,
	MSR_DEBUGCTL, MSR_IA32_PAT, MSR_IA32_PERF_GLOBAL_CTRL, MSR_EFER,
	MSR_FS_BASE, MSR_FS_BASE + 1,
};

int msr_bitmap_bit(uint32_t msr, bool write)
{
	int base = write ? 2048 * 8 : 0;

	if (msr < MSR_LOW_END)
		return base + (int)msr;
	if (msr - MSR_HIGH_BASE < MSR_LOW_END)
		return base + 1024 * 8 + (int)(msr - MSR_HIGH_BASE);
	return -1;
}

unsigned msr02_words(const uint64_t l0[MSR_BITMAP_WORDS], struct msr02_word out[MSR02_MAX_WORDS])
{
	unsigned n = 0;

	for (unsigned i = 0; i < 2 * sizeof(direct) / sizeof(direct[0]); i++) {
		int bit = msr_bitmap_bit(direct[i / 2], i & 1);
		uint16_t index = (uint16_t)(bit / 64);
		uint64_t mask = 1ULL << (bit % 64);
		unsigned w = 0;
		while (w < n && out[w].index != index)
			w++;
		if (w == n)
			out[n++] = (struct msr02_word){ index, ~0ULL };
		out[w].fixed &= ~mask | l0[index];
	}
	/* A word whose direct MSRs L0 intercepts anyway stays all ones. */
	unsigned kept = 0;
	for (unsigned w = 0; w < n; w++)
		if (out[w].fixed != ~0ULL)
			out[kept++] = out[w];
	return kept;
}

void msr02_all(uint64_t l2[MSR_BITMAP_WORDS])
{
	for (unsigned i = 0; i < MSR_BITMAP_WORDS; i++)
		l2[i] = ~0ULL;
}
