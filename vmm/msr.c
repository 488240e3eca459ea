/* msr.c - the MSR bitmap and the RDMSR/WRMSR exits.
 *
 * Only what must trap traps (24.6.9): reads pass through, except the VMX capability
 * MSRs and IA32_FEATURE_CONTROL, which are virtual (hidden, or with nested=on what
 * vmm/nested/caps12.c offers) and, with pmu=off, the counters.
 * Writes trap, except for MSRs that are either switched by the VMCS (EFER, PAT) or
 * harmless to the hypervisor (syscall entry points, FS/GS bases, TSC_AUX) and, with
 * pmu=on, the counters. Under paging=shadow EFER traps both ways: the guest's LME
 * is not the processor's while its paging is off (shadow/mode.c). A trapped access the guest may not make raises #GP, which is
 * what a CPU without that MSR would do. MSRs outside the bitmap's two ranges always
 * exit and get #GP as well. */
#include "exits.h"
#include "kernel.h"
#include "msr.h"
#include "msr_bitmap.h"
#include "nested/nested.h"
#include "shadow/shadow.h"
#include "string.h"
#include "vmcs.h"

#define MSR_LOW_END    0x2000u
#define MSR_HIGH_BASE  0xc0000000u

/* Each half of the page: reads low (0x000), reads high (0x400), writes low (0x800),
 * writes high (0xc00). */
static uint8_t *bitmap;

static void set_bit(uint32_t msr, bool write, bool trap)
{
	unsigned off = (write ? 2048 : 0) + (msr >= MSR_HIGH_BASE ? 1024 : 0);
	uint32_t idx = msr & (MSR_LOW_END - 1);
	uint8_t *byte = &bitmap[off + idx / 8], bit = (uint8_t)(1u << (idx % 8));

	*byte = trap ? (*byte | bit) : (*byte & ~bit);
}

static void set_range(uint32_t first, uint32_t last, bool write, bool trap)
{
	for (uint32_t m = first; m <= last; m++)
		set_bit(m, write, trap);
}

static const struct { uint32_t first, last; } pmu_msrs[] = {
	{ MSR_IA32_PMC0, MSR_IA32_PMC0 + 7 },
	{ MSR_IA32_PERFEVTSEL0, MSR_IA32_PERFEVTSEL0 + 7 },
	{ 0x309, 0x30b },            /* IA32_FIXED_CTR0-2 */
	{ 0x38d, 0x390 },            /* FIXED_CTR_CTRL, PERF_GLOBAL_STATUS/CTRL/OVF_CTRL */
	{ 0x4c1, 0x4c8 },            /* IA32_A_PMC0-7 */
};

uint64_t msr_bitmap_build(void)
{
	uint64_t pa = frames_get(FRAME_SIZE, FRAME_SIZE);

	bitmap = (uint8_t *)(uintptr_t)pa;
	memset(bitmap, 0, 2048);          /* reads pass through ... */
	memset(bitmap + 2048, 0xff, 2048); /* ... writes trap */
	set_bit(MSR_IA32_FEATURE_CONTROL, false, true);
	set_range(MSR_IA32_VMX_FIRST, MSR_IA32_VMX_LAST, false, true);
	set_range(MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_EIP, true, false);
	set_bit(MSR_IA32_PAT, true, false);
	set_bit(MSR_EFER, true, cfg.shadow_paging);
	set_bit(MSR_EFER, false, cfg.shadow_paging);
	set_range(MSR_STAR, MSR_SYSCALL_MASK, true, false);
	set_range(MSR_FS_BASE, MSR_IA32_TSC_AUX, true, false); /* FS, GS, KERNEL_GS, TSC_AUX */
	for (unsigned i = 0; i < sizeof(pmu_msrs) / sizeof(pmu_msrs[0]); i++) {
		set_range(pmu_msrs[i].first, pmu_msrs[i].last, false, !cfg.pmu);
		set_range(pmu_msrs[i].first, pmu_msrs[i].last, true, !cfg.pmu);
	}
	return pa;
}

enum exit_action handle_rdmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.gpr[GPR_RCX];
	uint64_t val = 0;

	if (msr == MSR_EFER && cfg.shadow_paging)
		return rdmsr_done(v, true, shadow.efer);
	/* VMX hidden, the feature-control MSR reads as locked with VMX off and the
	 * capability MSRs do not exist. */
	if (!guest_sees_vmx())
		return rdmsr_done(v, msr == MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED);
	bool ok = nested_rdmsr(msr, &val);
	return rdmsr_done(v, ok, val);
}

enum exit_action handle_wrmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.gpr[GPR_RCX];
	uint64_t val = edx_eax(v);
	enum exit_action next = HV_RESUME;

	if (msr == MSR_EFER && cfg.shadow_paging) {
		if (shadow_write_efer(v, val, &next) == 0 && next == HV_RESUME)
			vcpu_skip(RDMSR_WRMSR_LEN);
		return next;
	}
	vcpu_inject(EXC_GP, 0);
	return HV_RESUME;
}
