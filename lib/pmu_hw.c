/* pmu_hw.c - pmu_ops on the real (or emulated) CPU: the *_safe wrappers already
 * answer as pmu_ops wants, 0 or the vector the instruction raised. */
#include "cpu.h"
#include "pmu.h"

static int hw_rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
	(void)ctx;
	return rdmsr_safe(msr, val);
}

static int hw_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
	(void)ctx;
	return wrmsr_safe(msr, val);
}

static int hw_rdpmc(void *ctx, uint32_t idx, uint64_t *val)
{
	(void)ctx;
	return rdpmc_safe(idx, val);
}

static void hw_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	(void)ctx;
	struct cpuid r = cpuid(leaf, sub);
	out[0] = r.a, out[1] = r.b, out[2] = r.c, out[3] = r.d;
}

const struct pmu_ops pmu_hw_ops = { hw_rdmsr, hw_wrmsr, hw_rdpmc, hw_cpuid, NULL };
