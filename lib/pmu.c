/* pmu.c - probing and programming the architectural PMU; see pmu.h. */
#include "cpuid.h"
#include "fmt.h"
#include "msr.h"
#include "pmu.h"

int pmu_probe(const struct pmu_ops *ops, struct pmu_info *info, char *why, size_t n)
{
	uint32_t r[4], max[4];
	uint64_t v;
	int e;

	ops->cpuid(ops->ctx, 0, 0, max);
	if (max[0] < CPUID_LEAF_PMU) {
		sformat(why, n, "CPUID has no leaf 0AH");
		return -1;
	}
	ops->cpuid(ops->ctx, CPUID_LEAF_PMU, 0, r);
	info->version = r[0] & 0xff;
	info->counters = (r[0] >> 8) & 0xff;
	info->width = (r[0] >> 16) & 0xff;
	if (!info->version || !info->counters) {
		sformat(why, n, "CPUID.0AH reports no architectural PMU");
		return -1;
	}
	/* Advertised is not implemented: touch the first counter for real. */
	if ((e = ops->wrmsr(ops->ctx, MSR_IA32_PERFEVTSEL0, 0)))
		sformat(why, n, "IA32_PERFEVTSEL0 write raised vector %d: the PMU is advertised "
			"but not implemented", e);
	else if ((e = ops->wrmsr(ops->ctx, MSR_IA32_PMC0, 0)))
		sformat(why, n, "IA32_PMC0 write raised vector %d", e);
	else if ((e = ops->rdpmc(ops->ctx, 0, &v)))
		sformat(why, n, "RDPMC 0 raised vector %d", e);
	return e ? -1 : 0;
}

int pmu_program(const struct pmu_ops *ops, const struct pmu_info *info, const uint64_t *codes,
		unsigned n)
{
	int e;

	if (n > info->counters)
		return -1;
	if (info->version >= 2 && (e = ops->wrmsr(ops->ctx, MSR_IA32_PERF_GLOBAL_CTRL, 0)))
		return e;
	for (unsigned i = 0; i < n; i++) {
		uint64_t sel = codes[i] | PMU_EVTSEL_USR | PMU_EVTSEL_OS | PMU_EVTSEL_EN;
		if ((e = ops->wrmsr(ops->ctx, MSR_IA32_PERFEVTSEL0 + i, 0)) ||
		    (e = ops->wrmsr(ops->ctx, MSR_IA32_PMC0 + i, 0)) ||
		    (e = ops->wrmsr(ops->ctx, MSR_IA32_PERFEVTSEL0 + i, sel)))
			return e;
	}
	if (info->version >= 2)
		return ops->wrmsr(ops->ctx, MSR_IA32_PERF_GLOBAL_CTRL, (1ULL << n) - 1);
	return 0;
}

int pmu_stop(const struct pmu_ops *ops, const struct pmu_info *info)
{
	int e = 0;

	if (info->version >= 2)
		return ops->wrmsr(ops->ctx, MSR_IA32_PERF_GLOBAL_CTRL, 0);
	for (unsigned i = 0; i < info->counters && !e; i++) {
		uint64_t sel;
		if (!(e = ops->rdmsr(ops->ctx, MSR_IA32_PERFEVTSEL0 + i, &sel)))
			e = ops->wrmsr(ops->ctx, MSR_IA32_PERFEVTSEL0 + i, sel & ~PMU_EVTSEL_EN);
	}
	return e;
}

int pmu_read(const struct pmu_ops *ops, unsigned i, uint64_t *val)
{
	return ops->rdpmc(ops->ctx, i, val);
}
