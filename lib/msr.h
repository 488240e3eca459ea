/* msr.h - model-specific register numbers and the bits of those this code reads or
 * writes (SDM Vol. 4, chapter 2; the VMX capability MSRs' layouts are in vmm/vmx.h):
 * the one definition of each, for C and assembly alike. */
#ifndef NB_MSR_H
#define NB_MSR_H

#include "bits.h"

#define MSR_IA32_FEATURE_CONTROL  0x03A
#define FEATURE_CONTROL_LOCKED    BIT_ULL(0)
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX BIT_ULL(2)

#define MSR_IA32_PMC0             0x0C1
#define MSR_IA32_SYSENTER_CS      0x174
#define MSR_IA32_SYSENTER_ESP     0x175
#define MSR_IA32_SYSENTER_EIP     0x176
#define MSR_IA32_PERFEVTSEL0      0x186
#define MSR_IA32_PAT              0x277
#define MSR_IA32_PERF_GLOBAL_CTRL 0x38F

/* VMX capability MSRs (SDM Vol. 3D, Appendix A) */
#define MSR_IA32_VMX_BASIC             0x480
#define MSR_IA32_VMX_PINBASED_CTLS     0x481
#define MSR_IA32_VMX_PROCBASED_CTLS    0x482
#define MSR_IA32_VMX_EXIT_CTLS         0x483
#define MSR_IA32_VMX_ENTRY_CTLS        0x484
#define MSR_IA32_VMX_MISC              0x485
#define MSR_IA32_VMX_CR0_FIXED0        0x486
#define MSR_IA32_VMX_CR0_FIXED1        0x487
#define MSR_IA32_VMX_CR4_FIXED0        0x488
#define MSR_IA32_VMX_CR4_FIXED1        0x489
#define MSR_IA32_VMX_VMCS_ENUM         0x48A
#define MSR_IA32_VMX_PROCBASED_CTLS2   0x48B
#define MSR_IA32_VMX_EPT_VPID_CAP      0x48C
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x48D
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_IA32_VMX_TRUE_EXIT_CTLS    0x48F
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS   0x490
#define MSR_IA32_VMX_VMFUNC            0x491
#define MSR_IA32_VMX_FIRST             MSR_IA32_VMX_BASIC
#define MSR_IA32_VMX_LAST              MSR_IA32_VMX_VMFUNC

#define MSR_EFER                  0xC0000080
#define EFER_SCE                  BIT_ULL(0)   /* SYSCALL enable */
#define EFER_LME                  BIT_ULL(8)   /* IA-32e mode enable */
#define EFER_LMA                  BIT_ULL(10)  /* IA-32e mode active */
#define EFER_NXE                  BIT_ULL(11)  /* execute-disable enable */
#define MSR_STAR                  0xC0000081
#define MSR_SYSCALL_MASK          0xC0000084
#define MSR_FS_BASE               0xC0000100
#define MSR_GS_BASE               0xC0000101
#define MSR_IA32_TSC_AUX          0xC0000103

#endif
