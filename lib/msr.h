/* msr.h - model-specific register numbers and bits used by the runtime (SDM Vol. 4). */
#ifndef NB_MSR_H
#define NB_MSR_H

#define MSR_IA32_TSC_AUX          0xC0000103
#define MSR_EFER                  0xC0000080
#define EFER_SCE                  (1ULL << 0)
#define EFER_LME                  (1ULL << 8)
#define EFER_LMA                  (1ULL << 10)
#define EFER_NXE                  (1ULL << 11)

#define MSR_IA32_PMC0             0x0C1
#define MSR_IA32_PERFEVTSEL0      0x186
#define MSR_IA32_PERF_GLOBAL_CTRL 0x38F

#endif
