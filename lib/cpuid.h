/* cpuid.h - CPUID leaves and feature bits this code checks or edits (SDM Vol. 2A,
 * CPUID; AMD APM Vol. 3 for leaf 80000001H): the one definition of each, for the
 * runtime, the hypervisor, the guests and the host tools. The instruction itself is
 * in cpu.h. */
#ifndef NB_CPUID_H
#define NB_CPUID_H

#define CPUID_1_ECX_MONITOR           (1u << 3)   /* MONITOR/MWAIT */
#define CPUID_1_ECX_VMX               (1u << 5)   /* VT-x */
#define CPUID_1_ECX_X2APIC            (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE      (1u << 24)  /* local APIC TSC-deadline timer */
#define CPUID_1_ECX_XSAVE             (1u << 26)  /* XSAVE, XSETBV, XCR0 */
#define CPUID_1_ECX_OSXSAVE           (1u << 27)  /* CR4.OSXSAVE, as the OS set it */
#define CPUID_1_ECX_HYPERVISOR        (1u << 31)  /* reserved for hypervisors to set */
#define CPUID_1_EDX_TSC               (1u << 4)   /* RDTSC */
#define CPUID_1_EDX_APIC              (1u << 9)   /* local APIC */
#define CPUID_1_EDX_SSE2              (1u << 26)  /* LFENCE, MFENCE */
#define CPUID_7_0_ECX_OSPKE           (1u << 4)   /* CR4.PKE, as the OS set it */
#define CPUID_LEAF_PMU                0xa         /* architectural performance monitoring */
#define CPUID_LEAF_XSAVE              0xd         /* XSAVE features and state sizes */
#define CPUID_80000001_ECX_SVM        (1u << 2)   /* AMD-V */
#define CPUID_80000001_EDX_PAGE1GB    (1u << 26)  /* 1-GByte pages */
#define CPUID_80000001_EDX_RDTSCP     (1u << 27)  /* RDTSCP and IA32_TSC_AUX */

#endif
