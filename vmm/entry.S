/* entry.S - the VM entry/exit trampoline.
 *
 * int vmx_run(struct vcpu *v)
 *
 * Saves the host's callee-saved registers once, keeps `v` at the top of the stack
 * (where the exit path finds it) and enters the current VMCS, v->vmcs, by its own
 * state: HOST_RSP is written into it unless it already holds this stack pointer,
 * and it is VMLAUNCHed when clear, VMRESUMEd when launched. Every VM exit then
 * lands at vmx_exit, which stores the guest's registers and calls v->exit_path(v),
 * the exit function of the level the current VMCS runs (run.c).
 * On HV_RESUME the VMCS that just exited is launched and holds our HOST_RSP, so
 * the hot path is a bare VMRESUME; HV_ENTER (a handler made another VMCS current)
 * goes through the same entry as the first one; HV_STOP returns. The host
 * registers need no saving on this path: nothing of the host is live across the
 * guest's run but this stack. Returns 0 when vcpu_exit stopped the guest, 1 or 2
 * when VMLAUNCH/VMRESUME failed as an instruction (VMfailInvalid / VMfailValid).
 * Every instruction from vmx_exit to the first VMRESUME is on the path of every
 * exit. */

#include "trampoline.h"
#include "vmx.h"

#define R(n) (VCPU_REGS + 8 * (n))  /* offset of v->regs.gpr[n] */

.macro LOAD_GUEST_GPRS
	mov R(0)(%rdi), %rax
	mov R(1)(%rdi), %rcx
	mov R(2)(%rdi), %rdx
	mov R(3)(%rdi), %rbx
	mov R(5)(%rdi), %rbp
	mov R(6)(%rdi), %rsi
	mov R(8)(%rdi), %r8
	mov R(9)(%rdi), %r9
	mov R(10)(%rdi), %r10
	mov R(11)(%rdi), %r11
	mov R(12)(%rdi), %r12
	mov R(13)(%rdi), %r13
	mov R(14)(%rdi), %r14
	mov R(15)(%rdi), %r15
	mov R(7)(%rdi), %rdi
.endm

	.text
	.globl vmx_run
vmx_run:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi                /* v; RSP is now 16-byte aligned, as calls need */
	jmp enter

	.globl vmx_exit
vmx_exit:
	push %rdi
	mov 8(%rsp), %rdi        /* v */
	mov %rax, R(0)(%rdi)
	mov %rcx, R(1)(%rdi)
	mov %rdx, R(2)(%rdi)
	mov %rbx, R(3)(%rdi)
	mov %rbp, R(5)(%rdi)
	mov %rsi, R(6)(%rdi)
	mov %r8, R(8)(%rdi)
	mov %r9, R(9)(%rdi)
	mov %r10, R(10)(%rdi)
	mov %r11, R(11)(%rdi)
	mov %r12, R(12)(%rdi)
	mov %r13, R(13)(%rdi)
	mov %r14, R(14)(%rdi)
	mov %r15, R(15)(%rdi)
	popq R(7)(%rdi)          /* the guest's RDI */
	call *VCPU_EXIT_PATH(%rdi) /* vcpu_exit_l1, _l1_episode or _l2 */
	test %eax, %eax          /* EXIT_ACTION_RESUME */
	jnz other_action
resume:
	mov (%rsp), %rdi
	LOAD_GUEST_GPRS
	vmresume
	jmp entry_failed

other_action:
	cmp $EXIT_ACTION_STOP, %eax
	je stopped
	/* EXIT_ACTION_ENTER, and the first entry: the current VMCS by its own state. */
enter:
	mov (%rsp), %rdi
	mov VCPU_VMCS(%rdi), %rsi
	cmp VMCS_OBJ_HOST_RSP(%rsi), %rsp
	je 1f
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe entry_failed
	incq vmcs_writes(%rip)
	mov %rsp, VMCS_OBJ_HOST_RSP(%rsi)
1:	cmpb $0, VMCS_OBJ_LAUNCHED(%rsi)
	jne resume
	/* Launched from here on: the next exit may come before any code runs again. */
	movb $1, VMCS_OBJ_LAUNCHED(%rsi)
	LOAD_GUEST_GPRS
	vmlaunch
	/* VMLAUNCH failed as an instruction: the VMCS stayed clear. MOVs keep the flags. */
	mov (%rsp), %rdi
	mov VCPU_VMCS(%rdi), %rsi
	movb $0, VMCS_OBJ_LAUNCHED(%rsi)
entry_failed:
	/* CF=1: VMfailInvalid, ZF=1: VMfailValid. */
	mov $1, %eax
	jc leave_run
	mov $2, %eax
	jmp leave_run

stopped:
	xor %eax, %eax
leave_run:
	add $8, %rsp             /* v */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
