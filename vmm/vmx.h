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
#define VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT (1ULL << 41)
#define VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT (1ULL << 42)

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

/* ---- VMCS field encodings (Appendix B). Bits 14:13 give the width, bit 0 the
 * high half of a 64-bit field (unused here). ---- */
#define VMCS_HOST_RSP 0x6c14  /* also a macro: the trampoline (entry.S) writes it */
#ifndef __ASSEMBLY__
enum vmcs_field {
	/* 16-bit */
	VIRTUAL_PROCESSOR_ID = 0x0000,
	GUEST_ES_SELECTOR = 0x0800, GUEST_CS_SELECTOR = 0x0802, GUEST_SS_SELECTOR = 0x0804,
	GUEST_DS_SELECTOR = 0x0806, GUEST_FS_SELECTOR = 0x0808, GUEST_GS_SELECTOR = 0x080a,
	GUEST_LDTR_SELECTOR = 0x080c, GUEST_TR_SELECTOR = 0x080e,
	HOST_ES_SELECTOR = 0x0c00, HOST_CS_SELECTOR = 0x0c02, HOST_SS_SELECTOR = 0x0c04,
	HOST_DS_SELECTOR = 0x0c06, HOST_FS_SELECTOR = 0x0c08, HOST_GS_SELECTOR = 0x0c0a,
	HOST_TR_SELECTOR = 0x0c0c,
	/* 64-bit */
	IO_BITMAP_A = 0x2000, IO_BITMAP_B = 0x2002, MSR_BITMAP = 0x2004,
	VM_EXIT_MSR_STORE_ADDR = 0x2006, VM_EXIT_MSR_LOAD_ADDR = 0x2008,
	VM_ENTRY_MSR_LOAD_ADDR = 0x200a, TSC_OFFSET = 0x2010, EPT_POINTER = 0x201a,
	GUEST_PHYSICAL_ADDRESS = 0x2400,
	VMCS_LINK_POINTER = 0x2800, GUEST_IA32_DEBUGCTL = 0x2802, GUEST_IA32_PAT = 0x2804,
	GUEST_IA32_EFER = 0x2806, GUEST_IA32_PERF_GLOBAL_CTRL = 0x2808,
	GUEST_PDPTR0 = 0x280a, GUEST_PDPTR1 = 0x280c, GUEST_PDPTR2 = 0x280e,
	GUEST_PDPTR3 = 0x2810,
	HOST_IA32_PAT = 0x2c00, HOST_IA32_EFER = 0x2c02, HOST_IA32_PERF_GLOBAL_CTRL = 0x2c04,
	/* 32-bit */
	PIN_BASED_VM_EXEC_CONTROL = 0x4000, CPU_BASED_VM_EXEC_CONTROL = 0x4002,
	EXCEPTION_BITMAP = 0x4004, PAGE_FAULT_ERROR_CODE_MASK = 0x4006,
	PAGE_FAULT_ERROR_CODE_MATCH = 0x4008, CR3_TARGET_COUNT = 0x400a,
	VM_EXIT_CONTROLS = 0x400c, VM_EXIT_MSR_STORE_COUNT = 0x400e,
	VM_EXIT_MSR_LOAD_COUNT = 0x4010, VM_ENTRY_CONTROLS = 0x4012,
	VM_ENTRY_MSR_LOAD_COUNT = 0x4014, VM_ENTRY_INTR_INFO_FIELD = 0x4016,
	VM_ENTRY_EXCEPTION_ERROR_CODE = 0x4018, VM_ENTRY_INSTRUCTION_LEN = 0x401a,
	TPR_THRESHOLD = 0x401c, SECONDARY_VM_EXEC_CONTROL = 0x401e,
	VM_INSTRUCTION_ERROR = 0x4400, VM_EXIT_REASON = 0x4402, VM_EXIT_INTR_INFO = 0x4404,
	VM_EXIT_INTR_ERROR_CODE = 0x4406, IDT_VECTORING_INFO_FIELD = 0x4408,
	IDT_VECTORING_ERROR_CODE = 0x440a, VM_EXIT_INSTRUCTION_LEN = 0x440c,
	VMX_INSTRUCTION_INFO = 0x440e,
	GUEST_ES_LIMIT = 0x4800, GUEST_CS_LIMIT = 0x4802, GUEST_SS_LIMIT = 0x4804,
	GUEST_DS_LIMIT = 0x4806, GUEST_FS_LIMIT = 0x4808, GUEST_GS_LIMIT = 0x480a,
	GUEST_LDTR_LIMIT = 0x480c, GUEST_TR_LIMIT = 0x480e, GUEST_GDTR_LIMIT = 0x4810,
	GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR_BYTES = 0x4814, GUEST_CS_AR_BYTES = 0x4816, GUEST_SS_AR_BYTES = 0x4818,
	GUEST_DS_AR_BYTES = 0x481a, GUEST_FS_AR_BYTES = 0x481c, GUEST_GS_AR_BYTES = 0x481e,
	GUEST_LDTR_AR_BYTES = 0x4820, GUEST_TR_AR_BYTES = 0x4822,
	GUEST_INTERRUPTIBILITY_INFO = 0x4824, GUEST_ACTIVITY_STATE = 0x4826,
	GUEST_SYSENTER_CS = 0x482a, VMX_PREEMPTION_TIMER_VALUE = 0x482e,
	HOST_IA32_SYSENTER_CS = 0x4c00,
	/* natural width */
	CR0_GUEST_HOST_MASK = 0x6000, CR4_GUEST_HOST_MASK = 0x6002,
	CR0_READ_SHADOW = 0x6004, CR4_READ_SHADOW = 0x6006,
	EXIT_QUALIFICATION = 0x6400, GUEST_LINEAR_ADDRESS = 0x640a,
	GUEST_CR0 = 0x6800, GUEST_CR3 = 0x6802, GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806, GUEST_CS_BASE = 0x6808, GUEST_SS_BASE = 0x680a,
	GUEST_DS_BASE = 0x680c, GUEST_FS_BASE = 0x680e, GUEST_GS_BASE = 0x6810,
	GUEST_LDTR_BASE = 0x6812, GUEST_TR_BASE = 0x6814, GUEST_GDTR_BASE = 0x6816,
	GUEST_IDTR_BASE = 0x6818, GUEST_DR7 = 0x681a, GUEST_RSP = 0x681c, GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820, GUEST_PENDING_DBG_EXCEPTIONS = 0x6822,
	GUEST_SYSENTER_ESP = 0x6824, GUEST_SYSENTER_EIP = 0x6826,
	HOST_CR0 = 0x6c00, HOST_CR3 = 0x6c02, HOST_CR4 = 0x6c04, HOST_FS_BASE = 0x6c06,
	HOST_GS_BASE = 0x6c08, HOST_TR_BASE = 0x6c0a, HOST_GDTR_BASE = 0x6c0c,
	HOST_IDTR_BASE = 0x6c0e, HOST_IA32_SYSENTER_ESP = 0x6c10,
	HOST_IA32_SYSENTER_EIP = 0x6c12, HOST_RSP = VMCS_HOST_RSP, HOST_RIP = 0x6c16,
};

/* Width of a field from its encoding, bits 14:13 (Appendix B). */
#define VMCS_FIELD_WIDTH(f)   (((f) >> 13) & 3)
#define VMCS_WIDTH_16         0
#define VMCS_WIDTH_64         1
#define VMCS_WIDTH_32         2
#define VMCS_WIDTH_NATURAL    3

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
#define INTR_TYPE_SOFT_EXCEPTION   (6u << 8)
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
#define VMX_VPID_EXTENT_SINGLE_CONTEXT 1
#define VMX_VPID_EXTENT_ALL_CONTEXT 2

/* VM-instruction error numbers (30.4) are decoded in vmx.c. */

#endif
