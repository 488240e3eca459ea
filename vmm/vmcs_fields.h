/* vmcs_fields.h - the VMCS fields (SDM Vol. 3D, Appendix B), one line each:
 * X(NAME, encoding, width, flags). The list is the one place a field is spelled:
 * it makes the encoding constants (vmx.h), the names the hypervisor prints, and
 * the tables nesting consults by run-time encoding (vmcs_fields.c). A field added
 * here gets all of them.
 *
 * width: 16, 64, 32 or NAT, as the encoding says (bits 14:13); stated again so a
 *        mistyped encoding fails the build (vmcs_fields.c) instead of going unseen.
 * flags: VF_L1  L1 may VMREAD/VMWRITE it: the field exists in the VMCS we offer a
 *               guest hypervisor (nothing of VMCS shadowing, PML, VM functions,
 *               posted interrupts or APIC virtualization: not offered);
 *        VF_RO  read-only: VM-exit information (24.9, encoding type 1); a VMWRITE
 *               to it fails unless IA32_VMX_MISC[29] allows it;
 *        VF_SH  shadowed: L1's VMREAD/VMWRITE of it is served by the shadow VMCS
 *               without an exit. Guest state and exit information, which L1's exit
 *               handlers touch; never the controls, host state, link pointer or
 *               preemption timer, which L0 owns or merges into the VMCS that runs L2. */
#ifndef NB_VMCS_FIELDS_H
#define NB_VMCS_FIELDS_H

/* Also a macro: the trampoline (entry.S) writes it. */
#define VMCS_HOST_RSP 0x6c14

#define VF_L1 (1u << 0)
#define VF_RO (1u << 1)
#define VF_SH (1u << 2)

#define VMCS_FIELDS(X)                                                        \
	/* 16-bit control fields */                                           \
	X(VIRTUAL_PROCESSOR_ID, 0x0000, 16, VF_L1)                            \
	X(POSTED_INTR_NV, 0x0002, 16, 0)                                      \
	X(EPTP_INDEX, 0x0004, 16, 0)                                          \
	/* 16-bit guest state */                                              \
	X(GUEST_ES_SELECTOR, 0x0800, 16, VF_L1 | VF_SH)                       \
	X(GUEST_CS_SELECTOR, 0x0802, 16, VF_L1 | VF_SH)                       \
	X(GUEST_SS_SELECTOR, 0x0804, 16, VF_L1 | VF_SH)                       \
	X(GUEST_DS_SELECTOR, 0x0806, 16, VF_L1 | VF_SH)                       \
	X(GUEST_FS_SELECTOR, 0x0808, 16, VF_L1 | VF_SH)                       \
	X(GUEST_GS_SELECTOR, 0x080a, 16, VF_L1 | VF_SH)                       \
	X(GUEST_LDTR_SELECTOR, 0x080c, 16, VF_L1 | VF_SH)                     \
	X(GUEST_TR_SELECTOR, 0x080e, 16, VF_L1 | VF_SH)                       \
	X(GUEST_INTR_STATUS, 0x0810, 16, 0)                                   \
	X(GUEST_PML_INDEX, 0x0812, 16, 0)                                     \
	/* 16-bit host state */                                               \
	X(HOST_ES_SELECTOR, 0x0c00, 16, VF_L1)                                \
	X(HOST_CS_SELECTOR, 0x0c02, 16, VF_L1)                                \
	X(HOST_SS_SELECTOR, 0x0c04, 16, VF_L1)                                \
	X(HOST_DS_SELECTOR, 0x0c06, 16, VF_L1)                                \
	X(HOST_FS_SELECTOR, 0x0c08, 16, VF_L1)                                \
	X(HOST_GS_SELECTOR, 0x0c0a, 16, VF_L1)                                \
	X(HOST_TR_SELECTOR, 0x0c0c, 16, VF_L1)                                \
	/* 64-bit control fields */                                           \
	X(IO_BITMAP_A, 0x2000, 64, VF_L1)                                     \
	X(IO_BITMAP_B, 0x2002, 64, VF_L1)                                     \
	X(MSR_BITMAP, 0x2004, 64, VF_L1)                                      \
	X(VM_EXIT_MSR_STORE_ADDR, 0x2006, 64, VF_L1)                          \
	X(VM_EXIT_MSR_LOAD_ADDR, 0x2008, 64, VF_L1)                           \
	X(VM_ENTRY_MSR_LOAD_ADDR, 0x200a, 64, VF_L1)                          \
	X(PML_ADDRESS, 0x200e, 64, 0)                                         \
	X(TSC_OFFSET, 0x2010, 64, VF_L1)                                      \
	X(VIRTUAL_APIC_PAGE_ADDR, 0x2012, 64, 0)                              \
	X(APIC_ACCESS_ADDR, 0x2014, 64, 0)                                    \
	X(POSTED_INTR_DESC_ADDR, 0x2016, 64, 0)                               \
	X(VM_FUNCTION_CONTROL, 0x2018, 64, 0)                                 \
	X(EPT_POINTER, 0x201a, 64, VF_L1)                                     \
	X(EOI_EXIT_BITMAP0, 0x201c, 64, 0)                                    \
	X(EOI_EXIT_BITMAP1, 0x201e, 64, 0)                                    \
	X(EOI_EXIT_BITMAP2, 0x2020, 64, 0)                                    \
	X(EOI_EXIT_BITMAP3, 0x2022, 64, 0)                                    \
	X(EPTP_LIST_ADDRESS, 0x2024, 64, 0)                                   \
	X(VMREAD_BITMAP, 0x2026, 64, 0)                                       \
	X(VMWRITE_BITMAP, 0x2028, 64, 0)                                      \
	X(XSS_EXIT_BITMAP, 0x202c, 64, 0)                                     \
	/* 64-bit read-only data field */                                     \
	X(GUEST_PHYSICAL_ADDRESS, 0x2400, 64, VF_L1 | VF_RO | VF_SH)          \
	/* 64-bit guest state */                                              \
	X(VMCS_LINK_POINTER, 0x2800, 64, VF_L1)                               \
	X(GUEST_IA32_DEBUGCTL, 0x2802, 64, VF_L1 | VF_SH)                     \
	X(GUEST_IA32_PAT, 0x2804, 64, VF_L1 | VF_SH)                          \
	X(GUEST_IA32_EFER, 0x2806, 64, VF_L1 | VF_SH)                         \
	X(GUEST_IA32_PERF_GLOBAL_CTRL, 0x2808, 64, VF_L1 | VF_SH)             \
	X(GUEST_PDPTR0, 0x280a, 64, VF_L1 | VF_SH)                            \
	X(GUEST_PDPTR1, 0x280c, 64, VF_L1 | VF_SH)                            \
	X(GUEST_PDPTR2, 0x280e, 64, VF_L1 | VF_SH)                            \
	X(GUEST_PDPTR3, 0x2810, 64, VF_L1 | VF_SH)                            \
	/* 64-bit host state */                                               \
	X(HOST_IA32_PAT, 0x2c00, 64, VF_L1)                                   \
	X(HOST_IA32_EFER, 0x2c02, 64, VF_L1)                                  \
	X(HOST_IA32_PERF_GLOBAL_CTRL, 0x2c04, 64, VF_L1)                      \
	/* 32-bit control fields */                                           \
	X(PIN_BASED_VM_EXEC_CONTROL, 0x4000, 32, VF_L1)                       \
	X(CPU_BASED_VM_EXEC_CONTROL, 0x4002, 32, VF_L1)                       \
	X(EXCEPTION_BITMAP, 0x4004, 32, VF_L1)                                \
	X(PAGE_FAULT_ERROR_CODE_MASK, 0x4006, 32, VF_L1)                      \
	X(PAGE_FAULT_ERROR_CODE_MATCH, 0x4008, 32, VF_L1)                     \
	X(CR3_TARGET_COUNT, 0x400a, 32, VF_L1)                                \
	X(VM_EXIT_CONTROLS, 0x400c, 32, VF_L1)                                \
	X(VM_EXIT_MSR_STORE_COUNT, 0x400e, 32, VF_L1)                         \
	X(VM_EXIT_MSR_LOAD_COUNT, 0x4010, 32, VF_L1)                          \
	X(VM_ENTRY_CONTROLS, 0x4012, 32, VF_L1)                               \
	X(VM_ENTRY_MSR_LOAD_COUNT, 0x4014, 32, VF_L1)                         \
	/* event injection: L1's handlers write it per exit, so it is shadowed */ \
	X(VM_ENTRY_INTR_INFO_FIELD, 0x4016, 32, VF_L1 | VF_SH)                \
	X(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x4018, 32, VF_L1 | VF_SH)           \
	X(VM_ENTRY_INSTRUCTION_LEN, 0x401a, 32, VF_L1 | VF_SH)                \
	X(TPR_THRESHOLD, 0x401c, 32, 0)                                       \
	X(SECONDARY_VM_EXEC_CONTROL, 0x401e, 32, VF_L1)                       \
	X(PLE_GAP, 0x4020, 32, 0)                                             \
	X(PLE_WINDOW, 0x4022, 32, 0)                                          \
	/* 32-bit read-only data fields: VM-exit information */               \
	X(VM_INSTRUCTION_ERROR, 0x4400, 32, VF_L1 | VF_RO | VF_SH)            \
	X(VM_EXIT_REASON, 0x4402, 32, VF_L1 | VF_RO | VF_SH)                  \
	X(VM_EXIT_INTR_INFO, 0x4404, 32, VF_L1 | VF_RO | VF_SH)               \
	X(VM_EXIT_INTR_ERROR_CODE, 0x4406, 32, VF_L1 | VF_RO | VF_SH)         \
	X(IDT_VECTORING_INFO_FIELD, 0x4408, 32, VF_L1 | VF_RO | VF_SH)        \
	X(IDT_VECTORING_ERROR_CODE, 0x440a, 32, VF_L1 | VF_RO | VF_SH)        \
	X(VM_EXIT_INSTRUCTION_LEN, 0x440c, 32, VF_L1 | VF_RO | VF_SH)         \
	X(VMX_INSTRUCTION_INFO, 0x440e, 32, VF_L1 | VF_RO | VF_SH)            \
	/* 32-bit guest state */                                              \
	X(GUEST_ES_LIMIT, 0x4800, 32, VF_L1 | VF_SH)                          \
	X(GUEST_CS_LIMIT, 0x4802, 32, VF_L1 | VF_SH)                          \
	X(GUEST_SS_LIMIT, 0x4804, 32, VF_L1 | VF_SH)                          \
	X(GUEST_DS_LIMIT, 0x4806, 32, VF_L1 | VF_SH)                          \
	X(GUEST_FS_LIMIT, 0x4808, 32, VF_L1 | VF_SH)                          \
	X(GUEST_GS_LIMIT, 0x480a, 32, VF_L1 | VF_SH)                          \
	X(GUEST_LDTR_LIMIT, 0x480c, 32, VF_L1 | VF_SH)                        \
	X(GUEST_TR_LIMIT, 0x480e, 32, VF_L1 | VF_SH)                          \
	X(GUEST_GDTR_LIMIT, 0x4810, 32, VF_L1 | VF_SH)                        \
	X(GUEST_IDTR_LIMIT, 0x4812, 32, VF_L1 | VF_SH)                        \
	X(GUEST_ES_AR_BYTES, 0x4814, 32, VF_L1 | VF_SH)                       \
	X(GUEST_CS_AR_BYTES, 0x4816, 32, VF_L1 | VF_SH)                       \
	X(GUEST_SS_AR_BYTES, 0x4818, 32, VF_L1 | VF_SH)                       \
	X(GUEST_DS_AR_BYTES, 0x481a, 32, VF_L1 | VF_SH)                       \
	X(GUEST_FS_AR_BYTES, 0x481c, 32, VF_L1 | VF_SH)                       \
	X(GUEST_GS_AR_BYTES, 0x481e, 32, VF_L1 | VF_SH)                       \
	X(GUEST_LDTR_AR_BYTES, 0x4820, 32, VF_L1 | VF_SH)                     \
	X(GUEST_TR_AR_BYTES, 0x4822, 32, VF_L1 | VF_SH)                       \
	X(GUEST_INTERRUPTIBILITY_INFO, 0x4824, 32, VF_L1 | VF_SH)             \
	X(GUEST_ACTIVITY_STATE, 0x4826, 32, VF_L1 | VF_SH)                    \
	X(GUEST_SMBASE, 0x4828, 32, 0)                                        \
	X(GUEST_SYSENTER_CS, 0x482a, 32, VF_L1 | VF_SH)                       \
	X(VMX_PREEMPTION_TIMER_VALUE, 0x482e, 32, VF_L1)                      \
	/* 32-bit host state */                                               \
	X(HOST_IA32_SYSENTER_CS, 0x4c00, 32, VF_L1)                           \
	/* natural-width control fields */                                    \
	X(CR0_GUEST_HOST_MASK, 0x6000, NAT, VF_L1)                            \
	X(CR4_GUEST_HOST_MASK, 0x6002, NAT, VF_L1)                            \
	X(CR0_READ_SHADOW, 0x6004, NAT, VF_L1)                                \
	X(CR4_READ_SHADOW, 0x6006, NAT, VF_L1)                                \
	X(CR3_TARGET_VALUE0, 0x6008, NAT, VF_L1)                              \
	X(CR3_TARGET_VALUE1, 0x600a, NAT, VF_L1)                              \
	X(CR3_TARGET_VALUE2, 0x600c, NAT, VF_L1)                              \
	X(CR3_TARGET_VALUE3, 0x600e, NAT, VF_L1)                              \
	/* natural-width read-only data fields */                             \
	X(EXIT_QUALIFICATION, 0x6400, NAT, VF_L1 | VF_RO | VF_SH)             \
	X(IO_RCX, 0x6402, NAT, VF_L1 | VF_RO | VF_SH)                         \
	X(IO_RSI, 0x6404, NAT, VF_L1 | VF_RO | VF_SH)                         \
	X(IO_RDI, 0x6406, NAT, VF_L1 | VF_RO | VF_SH)                         \
	X(IO_RIP, 0x6408, NAT, VF_L1 | VF_RO | VF_SH)                         \
	X(GUEST_LINEAR_ADDRESS, 0x640a, NAT, VF_L1 | VF_RO | VF_SH)           \
	/* natural-width guest state */                                       \
	X(GUEST_CR0, 0x6800, NAT, VF_L1 | VF_SH)                              \
	X(GUEST_CR3, 0x6802, NAT, VF_L1 | VF_SH)                              \
	X(GUEST_CR4, 0x6804, NAT, VF_L1 | VF_SH)                              \
	X(GUEST_ES_BASE, 0x6806, NAT, VF_L1 | VF_SH)                          \
	X(GUEST_CS_BASE, 0x6808, NAT, VF_L1 | VF_SH)                          \
	X(GUEST_SS_BASE, 0x680a, NAT, VF_L1 | VF_SH)                          \
	X(GUEST_DS_BASE, 0x680c, NAT, VF_L1 | VF_SH)                          \
	X(GUEST_FS_BASE, 0x680e, NAT, VF_L1 | VF_SH)                          \
	X(GUEST_GS_BASE, 0x6810, NAT, VF_L1 | VF_SH)                          \
	X(GUEST_LDTR_BASE, 0x6812, NAT, VF_L1 | VF_SH)                        \
	X(GUEST_TR_BASE, 0x6814, NAT, VF_L1 | VF_SH)                          \
	X(GUEST_GDTR_BASE, 0x6816, NAT, VF_L1 | VF_SH)                        \
	X(GUEST_IDTR_BASE, 0x6818, NAT, VF_L1 | VF_SH)                        \
	X(GUEST_DR7, 0x681a, NAT, VF_L1 | VF_SH)                              \
	X(GUEST_RSP, 0x681c, NAT, VF_L1 | VF_SH)                              \
	X(GUEST_RIP, 0x681e, NAT, VF_L1 | VF_SH)                              \
	X(GUEST_RFLAGS, 0x6820, NAT, VF_L1 | VF_SH)                           \
	X(GUEST_PENDING_DBG_EXCEPTIONS, 0x6822, NAT, VF_L1 | VF_SH)           \
	X(GUEST_SYSENTER_ESP, 0x6824, NAT, VF_L1 | VF_SH)                     \
	X(GUEST_SYSENTER_EIP, 0x6826, NAT, VF_L1 | VF_SH)                     \
	/* natural-width host state */                                        \
	X(HOST_CR0, 0x6c00, NAT, VF_L1)                                       \
	X(HOST_CR3, 0x6c02, NAT, VF_L1)                                       \
	X(HOST_CR4, 0x6c04, NAT, VF_L1)                                       \
	X(HOST_FS_BASE, 0x6c06, NAT, VF_L1)                                   \
	X(HOST_GS_BASE, 0x6c08, NAT, VF_L1)                                   \
	X(HOST_TR_BASE, 0x6c0a, NAT, VF_L1)                                   \
	X(HOST_GDTR_BASE, 0x6c0c, NAT, VF_L1)                                 \
	X(HOST_IDTR_BASE, 0x6c0e, NAT, VF_L1)                                 \
	X(HOST_IA32_SYSENTER_ESP, 0x6c10, NAT, VF_L1)                         \
	X(HOST_IA32_SYSENTER_EIP, 0x6c12, NAT, VF_L1)                         \
	X(HOST_RSP, VMCS_HOST_RSP, NAT, VF_L1)                                \
	X(HOST_RIP, 0x6c16, NAT, VF_L1)

/* How many fields the list holds (checked against it in vmcs_fields.c). */
#define VMCS_FIELD_COUNT 150

/* Width of a field from its encoding, bits 14:13 (Appendix B). */
#define VMCS_FIELD_WIDTH(f)   (((f) >> 13) & 3)
#define VMCS_WIDTH_16         0
#define VMCS_WIDTH_64         1
#define VMCS_WIDTH_32         2
#define VMCS_WIDTH_NAT        3
/* Type, bits 11:10: control, VM-exit information (read-only), guest state, host state. */
#define VMCS_FIELD_TYPE(f)    (((f) >> 10) & 3)
#define VMCS_TYPE_EXIT_INFO   1
/* Bit 0: the high 32 bits of a 64-bit field ("high" access type). */
#define VMCS_FIELD_HIGH       1u

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

/* Each field's position in the list, as a constant: VMCS_POS_GUEST_CR0, ... (the
 * slot of a guest hypervisor's VMCS region that holds it, vmm/nested/vmcs12.h,
 * without a look-up at run time). */
#define VMCS_POS_ENTRY(name, enc, width, flags) VMCS_POS_##name,
enum vmcs_field_pos { VMCS_FIELDS(VMCS_POS_ENTRY) VMCS_POS_END };
#undef VMCS_POS_ENTRY

/* Tables by run-time encoding (vmcs_fields.c). An encoding not in the list (or a
 * high access of a 16-, 32-bit or natural-width field) has flags 0, name NULL,
 * and is not listed; a high access of a listed 64-bit field has its field's flags. */
bool vmcs_field_listed(uint32_t enc);
unsigned vmcs_field_flags(uint32_t enc);
const char *vmcs_field_name(uint32_t enc);
/* The field's position in the list (0 .. VMCS_FIELD_COUNT-1), for a table with a
 * slot per field (a guest hypervisor's VMCS region, vmm/nested/vmcs12.h); -1 when
 * not listed. A high access has its 64-bit field's position. */
int vmcs_field_index(uint32_t enc);
/* The encoding of the field at position pos (0 .. VMCS_FIELD_COUNT-1). */
uint32_t vmcs_field_encoding(int pos);
#endif

#endif
