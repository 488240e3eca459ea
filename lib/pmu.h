/* pmu.h - architectural performance counters (SDM Vol. 3B, 20.2), programmed by the
 * guest itself with raw event codes from the host (libpfm4).
 *
 * Everything goes through struct pmu_ops, so the exact MSR sequence is unit-tested on
 * the host against a mock, and the kernel passes pmu_hw_ops (pmu_hw.c). */
#ifndef NB_PMU_H
#define NB_PMU_H

#include <stddef.h>
#include <stdint.h>

struct pmu_ops {
	int (*rdmsr)(void *ctx, uint32_t msr, uint64_t *val); /* 0, or the exception vector */
	int (*wrmsr)(void *ctx, uint32_t msr, uint64_t val);  /* 0, or the exception vector */
	int (*rdpmc)(void *ctx, uint32_t idx, uint64_t *val); /* 0, or the exception vector */
	void (*cpuid)(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4]);
	void *ctx;
};

struct pmu_info {
	unsigned version;   /* CPUID.0AH:EAX[7:0] */
	unsigned counters;  /* general-purpose counters, CPUID.0AH:EAX[15:8] */
	unsigned width;     /* their width in bits, CPUID.0AH:EAX[23:16] */
};

#define PMU_EVTSEL_USR (1ULL << 16)
#define PMU_EVTSEL_OS  (1ULL << 17)
#define PMU_EVTSEL_EN  (1ULL << 22)

/* Reads CPUID.0AH and then tries the hardware, because a PMU can be advertised and
 * not implemented (Bochs). 0 when usable; -1 with the reason in why otherwise. */
int pmu_probe(const struct pmu_ops *ops, struct pmu_info *info, char *why, size_t n);

/* Programs counter i with codes[i] for i < n, in this order: IA32_PERF_GLOBAL_CTRL = 0
 * (version >= 2); then per counter IA32_PERFEVTSELi = 0, IA32_PMCi = 0,
 * IA32_PERFEVTSELi = code | USR | OS | EN; then IA32_PERF_GLOBAL_CTRL = (1 << n) - 1
 * (version >= 2). Returns 0, -1 if n exceeds the counters, or the faulting vector. */
int pmu_program(const struct pmu_ops *ops, const struct pmu_info *info, const uint64_t *codes,
		unsigned n);

/* Stops counting: IA32_PERF_GLOBAL_CTRL = 0 (version >= 2), or every EN bit clear. */
int pmu_stop(const struct pmu_ops *ops, const struct pmu_info *info);

/* Reads counter i with RDPMC. 0, or the faulting vector. */
int pmu_read(const struct pmu_ops *ops, unsigned i, uint64_t *val);

/* The hardware, through lib/cpu.h's fault-safe wrappers (kernels only). */
extern const struct pmu_ops pmu_hw_ops;

#endif
