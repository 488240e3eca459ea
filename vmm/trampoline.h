/* trampoline.h - what the VM entry/exit trampoline (entry.S) and the C code agree
 * on: where it finds the current VMCS and what an exit handler may ask of it.
 * Plain macros, for assembly; the C side checks them against its structures
 * (_Static_assert in vcpu.c and vmcs.c). */
#ifndef NB_TRAMPOLINE_H
#define NB_TRAMPOLINE_H

/* struct vcpu: the guest's registers first (16 x 8 bytes), then the current VMCS,
 * then the function that handles an exit of the level that VMCS runs. */
#define VCPU_REGS         0
#define VCPU_VMCS         128
#define VCPU_EXIT_PATH    136
/* struct vmcs (vmcs.h) */
#define VMCS_OBJ_PA       0
#define VMCS_OBJ_HOST_RSP 8
#define VMCS_OBJ_LAUNCHED 16

/* enum exit_action (hv.h): resume the current VMCS, which ran last and is therefore
 * launched with the right HOST_RSP (the hot path); stop; or enter the current VMCS
 * by its own state, after a handler made another VMCS current. */
#define EXIT_ACTION_RESUME 0
#define EXIT_ACTION_STOP   1
#define EXIT_ACTION_ENTER  2

#endif
