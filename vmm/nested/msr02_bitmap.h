/* msr02_bitmap.h - the MSR bitmap L2 runs with (SDM 24.6.9), kept cheap per entry.
 *
 * An RDMSR/WRMSR of L2 must exit whenever L1 or L0 intercepts it: L2's bitmap must
 * hold at least the union of L1's and L0's. L1 may rewrite its bitmap page at any
 * time without a VMWRITE, so whatever L2's bitmap takes from L1's page must be
 * re-read at every entry, and re-reading all of it (4 KiB) costs more than the rest
 * of a nested entry. So L2's bitmap intercepts every MSR but the few of
 * MSR02_DIRECT, whose bits are L0's | L1's, re-read at each entry (a handful of
 * 64-bit words); the other accesses exit to L0, which reflects what L1 asked for and
 * performs the rest for L2 (vmm/nested/msr02.c). The direct ones are those L0 could
 * not perform for L2 on the real MSR, which holds another value while L0 runs: the
 * MSRs VM entry and exit switch, and the TSC (L2's is offset).
 * Pure: host-tested (tests/unit/test_msr02_bitmap.c). */
#ifndef NB_MSR02_BITMAP_H
#define NB_MSR02_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_BITMAP_WORDS 512u  /* 4 KiB */

/* The bit of msr's read (write) access in an MSR bitmap, or -1 for an MSR outside
 * the two ranges the bitmap covers (such an access always exits). */
int msr_bitmap_bit(uint32_t msr, bool write);

/* One 64-bit word of L2's bitmap that depends on L1's: L2's word is L1's | fixed,
 * where fixed holds L0's bits of the direct MSRs and ones everywhere else. */
struct msr02_word {
	uint16_t index;
	uint64_t fixed;
};
#define MSR02_MAX_WORDS 16u

/* The words of L2's bitmap that follow L1's, from L0's bitmap l0 (none where L0
 * intercepts every direct MSR of the word); returns how many. */
unsigned msr02_words(const uint64_t l0[MSR_BITMAP_WORDS], struct msr02_word out[MSR02_MAX_WORDS]);

/* L2's bitmap with every bit set: where msr02_refresh starts from. */
void msr02_all(uint64_t l2[MSR_BITMAP_WORDS]);

/* At each entry: the direct MSRs' bits of l2 from L1's bitmap l1 (NULL when L1
 * has none L0 can read: everything intercepted). Inline: every nested entry runs it. */
static inline void msr02_refresh(uint64_t l2[MSR_BITMAP_WORDS], const uint64_t *l1,
				 const struct msr02_word *w, unsigned n)
{
	if (!l1) {
		for (unsigned i = 0; i < n; i++)
			l2[w[i].index] = ~0ULL;
		return;
	}
	/* Unrolled, the loop's own cost halves. */
#pragma GCC unroll 2
	for (unsigned i = 0; i < n; i++)
		l2[w[i].index] = l1[w[i].index] | w[i].fixed;
}

#endif
