/* vmx.h - VMX architecture: VMCS field encodings, controls, exit reasons, capability
 * MSR layouts and EPT bits. Facts from the Intel SDM Vol. 3C (chapters 24-29,
 * appendices A-C) under the names Linux uses (arch/x86/include/asm/vmx.h), one
 * definition each; MSR numbers are in lib/msr.h, control-register bits in lib/cr.h.
 * No logic here. Assembly sees the macros (and VMCS_HOST_RSP), not the enums. */
#ifndef NB_VMX_H
#define NB_VMX_H

#include "msr.h"

/* ---- Capability MSRs: their numbers are in lib/msr.h; their layouts (Appendix A) ---- */
#define VMX_BASIC_REVISION(b)          ((uint32_t)(b) & 0x7fffffff)
#define VMX_BASIC_TRUE_CTLS            (1ULL << 55)
#define VMX_MISC_PREEMPTION_RATE(m)    ((unsigned)(m) & 0x1f) /* timer ticks every 2^rate TSC */

/* IA32_VMX_EPT_VPID_CAP (Appendix A.10) */
#define VMX_EPT_PAGE_WALK_4_BIT        (1ULL << 6)
#define VMX_EPT_PAGE_WALK_5_BIT        (1ULL << 7)
#define VMX_EPTP_WB_BIT                (1ULL << 14)
#define VMX_EPT_2MB_PAGE_BIT           (1ULL << 16)
#define VMX_EPT_1GB_PAGE_BIT           (1ULL << 17)
#define VMX_EPT_INVEPT_BIT             (1ULL << 20)
#define VMX_EPT_AD_BIT                 (1ULL << 21)
#define VMX_EPT_EXTENT_CONTEXT_BIT     (1ULL << 25)
#define VMX_EPT_EXTENT_GLOBAL_BIT      (1ULL << 26)
#define VMX_VPID_INVVPID_BIT           (1ULL << 32)
#define VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT (1ULL << 40)
#define VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT (1ULL << 41)
#define VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT (1ULL << 42)
#define VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT (1ULL << 43)

/* ---- Pin-based VM-execution controls (24.6.1) ---- */
#define PIN_BASED_EXT_INTR_MASK        (1u << 0)
#define PIN_BASED_NMI_EXITING          (1u << 3)
#define PIN_BASED_VIRTUAL_NMIS         (1u << 5)
#define PIN_BASED_VMX_PREEMPTION_TIMER (1u << 6)

/* ---- Primary processor-based controls (24.6.2, Table 24-6) ---- */
#define CPU_BASED_INTR_WINDOW_EXITING  (1u << 2)
#define CPU_BASED_USE_TSC_OFFSETTING   (1u << 3)
#define CPU_BASED_HLT_EXITING          (1u << 7)
#define CPU_BASED_INVLPG_EXITING       (1u << 9)
#define CPU_BASED_MWAIT_EXITING        (1u << 10)
#define CPU_BASED_RDPMC_EXITING        (1u << 11)
#define CPU_BASED_RDTSC_EXITING        (1u << 12)
#define CPU_BASED_CR3_LOAD_EXITING     (1u << 15)
#define CPU_BASED_CR3_STORE_EXITING    (1u << 16)
#define CPU_BASED_CR8_LOAD_EXITING     (1u << 19)
#define CPU_BASED_CR8_STORE_EXITING    (1u << 20)
#define CPU_BASED_TPR_SHADOW           (1u << 21)
#define CPU_BASED_NMI_WINDOW_EXITING   (1u << 22)
#define CPU_BASED_MOV_DR_EXITING       (1u << 23)
#define CPU_BASED_UNCOND_IO_EXITING    (1u << 24)
#define CPU_BASED_USE_IO_BITMAPS       (1u << 25)
#define CPU_BASED_MONITOR_TRAP_FLAG    (1u << 27)
#define CPU_BASED_USE_MSR_BITMAPS      (1u << 28)
#define CPU_BASED_MONITOR_EXITING      (1u << 29)
#define CPU_BASED_PAUSE_EXITING        (1u << 30)
#define CPU_BASED_ACTIVATE_SECONDARY_CONTROLS (1u << 31)

/* ---- Secondary processor-based controls (Table 24-7) ---- */
#define SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES (1u << 0)
#define SECONDARY_EXEC_ENABLE_EPT      (1u << 1)
#define SECONDARY_EXEC_DESC            (1u << 2)
#define SECONDARY_EXEC_ENABLE_RDTSCP   (1u << 3)
#define SECONDARY_EXEC_ENABLE_VPID     (1u << 5)
#define SECONDARY_EXEC_WBINVD_EXITING  (1u << 6)
#define SECONDARY_EXEC_UNRESTRICTED_GUEST (1u << 7)
#define SECONDARY_EXEC_ENABLE_INVPCID  (1u << 12)
#define SECONDARY_EXEC_SHADOW_VMCS     (1u << 14)
#define SECONDARY_EXEC_XSAVES          (1u << 20)

/* ---- VM-exit controls (24.7.1) ---- */
#define VM_EXIT_SAVE_DEBUG_CONTROLS    (1u << 2)
#define VM_EXIT_HOST_ADDR_SPACE_SIZE   (1u << 9)
#define VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL (1u << 12)
#define VM_EXIT_ACK_INTR_ON_EXIT       (1u << 15)
#define VM_EXIT_SAVE_IA32_PAT          (1u << 18)
#define VM_EXIT_LOAD_IA32_PAT          (1u << 19)
#define VM_EXIT_SAVE_IA32_EFER         (1u << 20)
#define VM_EXIT_LOAD_IA32_EFER         (1u << 21)
#define VM_EXIT_SAVE_VMX_PREEMPTION_TIMER (1u << 22)

/* ---- VM-entry controls (24.8.1) ---- */
#define VM_ENTRY_LOAD_DEBUG_CONTROLS   (1u << 2)
#define VM_ENTRY_IA32E_MODE            (1u << 9)
#define VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL (1u << 13)
#define VM_ENTRY_LOAD_IA32_PAT         (1u << 14)
#define VM_ENTRY_LOAD_IA32_EFER        (1u << 15)

/* ---- VMCS field encodings (Appendix B): listed in vmcs_fields.h ---- */
#include "vmcs_fields.h"
#ifndef __ASSEMBLY__
#define VMCS_FIELD_ENUM_ENTRY(name, enc, width, flags) name = enc,
enum vmcs_field { VMCS_FIELDS(VMCS_FIELD_ENUM_ENTRY) };
#undef VMCS_FIELD_ENUM_ENTRY

/* ---- Exit reasons (Appendix C): the basic reasons are listed in exit_reasons.h ---- */
#include "exit_reasons.h"
#endif /* !__ASSEMBLY__ */
#define VMX_EXIT_REASON_BASIC(r)        ((r) & 0xffff)
#define VMX_EXIT_REASONS_FAILED_VMENTRY (1u << 31)

/* ---- Exit qualifications (27.2.1) ---- */
/* I/O instructions (Table 27-5) */
#define IO_QUAL_SIZE(q)     (((q) & 7) + 1)
#define IO_QUAL_IN          (1u << 3)
#define IO_QUAL_STRING      (1u << 4)
#define IO_QUAL_REP         (1u << 5)
#define IO_QUAL_PORT(q)     ((uint16_t)((q) >> 16))
/* Control-register accesses (Table 27-3) */
#define CR_QUAL_CR(q)       ((q) & 15)
#define CR_QUAL_TYPE(q)     (((q) >> 4) & 3)   /* 0 mov to CR, 1 mov from CR, 2 CLTS, 3 LMSW */
#define CR_QUAL_GPR(q)      (((q) >> 8) & 15)
#define CR_TYPE_MOV_TO      0
#define CR_TYPE_MOV_FROM    1
#define CR_TYPE_CLTS        2
#define CR_TYPE_LMSW        3
/* EPT violations (Table 27-7) */
#define EPT_VIOLATION_READ  (1u << 0)
#define EPT_VIOLATION_WRITE (1u << 1)
#define EPT_VIOLATION_FETCH (1u << 2)
#define EPT_VIOLATION_GLA_VALID (1u << 7)
#define EPT_VIOLATION_GLA_TRANSLATED (1u << 8) /* 0: the access was a guest page walk */

/* ---- Interruption information (24.8.3, 24.9.2) ----
 * The type is bits 10:8, and it stays there: INTR_INFO_TYPE(i) masks without
 * shifting, so it compares equal to the INTR_TYPE_* constants, which are in place
 * too, ready to be ORed into VM_ENTRY_INTR_INFO_FIELD. */
#define INTR_INFO_VECTOR(i)        ((i) & 0xff)
#define INTR_INFO_TYPE_MASK        (7u << 8)
#define INTR_INFO_TYPE(i)          ((i) & INTR_INFO_TYPE_MASK)
#define INTR_INFO_DELIVER_CODE     (1u << 11)
#define INTR_INFO_VALID            (1u << 31)
#define INTR_TYPE_EXT_INTR         (0u << 8)
#define INTR_TYPE_NMI              (2u << 8)
#define INTR_TYPE_HARD_EXCEPTION   (3u << 8)
#define INTR_TYPE_SOFT_INTR        (4u << 8)  /* INT n */
#define INTR_TYPE_PRIV_SW_EXCEPTION (5u << 8) /* INT1 */
#define INTR_TYPE_SOFT_EXCEPTION   (6u << 8)  /* INT3, INTO */
#ifndef __ASSEMBLY__
_Static_assert(INTR_INFO_TYPE(INTR_INFO_VALID | INTR_TYPE_HARD_EXCEPTION | 6) ==
		       INTR_TYPE_HARD_EXCEPTION,
	       "INTR_INFO_TYPE and INTR_TYPE_* must compare equal");
#endif

/* ---- Guest segment access rights (24.4.1) ---- */
#define VMX_AR_UNUSABLE            (1u << 16)
#define VMX_AR_DPL(ar)             (((ar) >> 5) & 3)

/* ---- EPT entries and EPTP (28.3.2, 24.6.11) ---- */
#define VMX_EPT_READABLE           (1ULL << 0)
#define VMX_EPT_WRITABLE           (1ULL << 1)
#define VMX_EPT_EXECUTABLE         (1ULL << 2)
#define VMX_EPT_RWX                (VMX_EPT_READABLE | VMX_EPT_WRITABLE | VMX_EPT_EXECUTABLE)
#define VMX_EPT_MT_SHIFT           3
#define VMX_EPT_IPAT               (1ULL << 6)
#define VMX_EPT_ACCESSED           (1ULL << 8)
#define VMX_EPT_DIRTY              (1ULL << 9)
#define MEMTYPE_UC                 0ULL
#define MEMTYPE_WB                 6ULL
#define VMX_EPTP_MT_WB             MEMTYPE_WB
#define VMX_EPTP_PWL_SHIFT         3     /* page-walk length - 1 */
#define VMX_EPTP_AD_ENABLE         (1ULL << 6)

/* INVEPT / INVVPID types (30.3) */
#define VMX_EPT_EXTENT_CONTEXT     1
#define VMX_EPT_EXTENT_GLOBAL      2
#define VMX_VPID_EXTENT_INDIVIDUAL_ADDR 0
#define VMX_VPID_EXTENT_SINGLE_CONTEXT 1
#define VMX_VPID_EXTENT_ALL_CONTEXT 2

/* VM-instruction error numbers (30.4) are decoded in vmx.c. */

#endif
