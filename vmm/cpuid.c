/* cpuid.c - CPUID exits: the processor's answer, minus what this hypervisor does not
 * offer, plus its own leaves at 0x40000000. The hottest handler: it costs one
 * VMREAD and one VMWRITE (RIP), because CPUID is always two bytes long.
 *
 * Where CPUID is a cheap instruction (level 0), the answer is the processor's, live.
 * A hypervisor that is itself a guest would make an exit of the level below for
 * every CPUID it executed; it answers from answers cached at start-up instead
 * (cpuid_cache.h), and its exit table gets that handler then, so neither pays a
 * test for the other. Either way a few bits follow the guest's own state, not the
 * processor's (SDM Vol. 2A, CPUID): OSXSAVE and OSPKE are computed from the guest's
 * CR4, and the XSAVE sizes of leaf 0xD's subleaves 0 and 1, which follow XCR0 (the
 * guest's, as XCR0 is not switched: misc.c), are always the processor's, live. */
#include "cpu.h"
#include "cpuid_cache.h"
#include "cr.h"
#include "exits.h"
#include "hypercall.h"

#define CPUID_INSN_LEN         2

static struct cpuid_cache cache;

/* What this hypervisor changes for the whole run: it offers no MONITOR, VMX only
 * with nested=on, no PMU with pmu=off, and says it is one. */
static struct cpuid edit_fixed(uint32_t leaf, struct cpuid r)
{
	if (leaf == 1)
		r.c = (r.c & ~((guest_sees_vmx() ? 0 : CPUID_1_ECX_VMX) | CPUID_1_ECX_MONITOR)) |
		      CPUID_1_ECX_HYPERVISOR;
	else if (leaf == CPUID_LEAF_PMU && !cfg.pmu)
		r = (struct cpuid){ 0, 0, 0, 0 };
	return r;
}

/* The bits that say what the guest's CR4 enables; its CR4 is read for them only. */
static struct cpuid edit_guest_state(uint32_t leaf, uint32_t subleaf, struct cpuid r)
{
	if (leaf == 1)
		r.c = (r.c & ~CPUID_1_ECX_OSXSAVE) |
		      (guest_cr4() & CR4_OSXSAVE ? CPUID_1_ECX_OSXSAVE : 0);
	else if (leaf == 7 && subleaf == 0)
		r.c = (r.c & ~CPUID_7_0_ECX_OSPKE) |
		      (guest_cr4() & CR4_PKE ? CPUID_7_0_ECX_OSPKE : 0);
	return r;
}

/* The guest's registers get the answer, and its RIP moves past the CPUID. */
static inline enum exit_action cpuid_answer(struct vcpu *v, struct cpuid r)
{
	v->regs.gpr[GPR_RAX] = r.a;
	v->regs.gpr[GPR_RBX] = r.b;
	v->regs.gpr[GPR_RCX] = r.c;
	v->regs.gpr[GPR_RDX] = r.d;
	vcpu_skip(CPUID_INSN_LEN);
	return HV_RESUME;
}

/* Leaves 1 to 0xa hold every bit edited here: one range test keeps the others, leaf
 * 0 among them, off this way. Out of line, and reached by a tail call, so that the
 * other leaves' way keeps its short frame; the guest's RAX and RCX still hold the
 * leaf and subleaf. fixed_too: r is the processor's, not the cache's. */
#define EDITED_LEAF(leaf) ((leaf) - 1u < CPUID_LEAF_PMU)
static __attribute__((noinline)) enum exit_action cpuid_answer_edited(struct vcpu *v,
								      struct cpuid r,
								      bool fixed_too)
{
	uint32_t leaf = (uint32_t)v->regs.gpr[GPR_RAX];

	if (fixed_too)
		r = edit_fixed(leaf, r);
	return cpuid_answer(v, edit_guest_state(leaf, (uint32_t)v->regs.gpr[GPR_RCX], r));
}

/* What the cache holds: the processor's answer with the edits fixed for the run. */
static struct cpuid cpuid_offered(uint32_t leaf, uint32_t subleaf)
{
	return edit_fixed(leaf, cpuid(leaf, subleaf));
}

/* Our own leaves: the signature, then our level and ABI (hypercall.h). */
static struct cpuid own_leaf(uint32_t leaf)
{
	if (leaf == HV_CPUID_SIGNATURE)
		return (struct cpuid){ HV_CPUID_INFO, HV_SIGNATURE_EBX, HV_SIGNATURE_ECX,
				       HV_SIGNATURE_EDX };
	if (leaf == HV_CPUID_INFO)
		return (struct cpuid){ (uint32_t)hv_level + 1, HV_ABI_VERSION, 0, 0 };
	return (struct cpuid){ 0, 0, 0, 0 };
}

/* The CPUID exit, inlined into one handler per source of answers (cached constant). */
static inline __attribute__((always_inline)) enum exit_action cpuid_exit(struct vcpu *v,
									 const bool cached)
{
	uint32_t leaf = (uint32_t)v->regs.gpr[GPR_RAX];
	uint32_t subleaf = (uint32_t)v->regs.gpr[GPR_RCX];
	const struct cpuid *hit;

	if ((leaf & 0xffff0000u) == HV_CPUID_SIGNATURE)
		return cpuid_answer(v, own_leaf(leaf));
	if (cached && !(leaf == CPUID_LEAF_XSAVE && subleaf < 2) &&
	    (hit = cpuid_cache_find(&cache, leaf, subleaf))) {
		if (EDITED_LEAF(leaf))
			return cpuid_answer_edited(v, *hit, false);
		return cpuid_answer(v, *hit);
	}
	struct cpuid r = cpuid(leaf, subleaf);
	if (EDITED_LEAF(leaf))
		return cpuid_answer_edited(v, r, true);
	return cpuid_answer(v, r);
}

enum exit_action handle_cpuid(struct vcpu *v)
{
	return cpuid_exit(v, false);
}

static enum exit_action handle_cpuid_cached(struct vcpu *v)
{
	return cpuid_exit(v, true);
}

void cpuid_setup(void)
{
	if (!hv_level)
		return;
	cpuid_cache_fill(&cache, cpuid_offered);
	exit_handler_set(EXIT_REASON_CPUID, handle_cpuid_cached);
}
