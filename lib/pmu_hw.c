/* pmu_hw.c - pmu_ops on the real (or emulated) CPU. The *_safe wrappers return -1 for
 * "no exception" and the vector otherwise; pmu_ops wants 0 or the vector (vector 0,
 * #DE, cannot come from these instructions). */
#include "cpu.h"
#include "pmu.h"

static int hw_rdmsr(void *ctx, uint32_t msr, uint64_t *val)
{
	(void)ctx;
	int v = rdmsr_safe(msr, val);
	return v < 0 ? 0 : v;
}

static int hw_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
	(void)ctx;
	int v = wrmsr_safe(msr, val);
	return v < 0 ? 0 : v;
}

static int hw_rdpmc(void *ctx, uint32_t idx, uint64_t *val)
{
	(void)ctx;
	int v = rdpmc_safe(idx, val);
	return v < 0 ? 0 : v;
}

static void hw_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	(void)ctx;
	struct cpuid r = cpuid(leaf, sub);
	out[0] = r.a, out[1] = r.b, out[2] = r.c, out[3] = r.d;
}

const struct pmu_ops pmu_hw_ops = { hw_rdmsr, hw_wrmsr, hw_rdpmc, hw_cpuid, NULL };
