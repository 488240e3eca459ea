/* entry.S - the VM entry/exit trampoline.
 *
 * int vmx_enter(struct guest_regs *regs, int launched)
 *
 * Saves the host's callee-saved registers, keeps `regs` on the stack where the exit
 * path finds it, loads the guest's general registers and executes VMRESUME (or
 * VMLAUNCH the first time). A VM exit lands at vmx_exit with RSP = HOST_RSP, which
 * is this same stack position: the exit path stores the guest's registers and
 * returns 0 from vmx_enter as if it were an ordinary call. If VMLAUNCH/VMRESUME
 * fails instead, execution falls through and returns 1 (VMfailInvalid) or
 * 2 (VMfailValid). Every instruction here is on the path of every exit. */

#define HOST_RSP 0x6c14
#define R(n) (8 * (n))  /* offset of guest_regs.gpr[n] */

	.text
	.globl vmx_enter
vmx_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi
	/* HOST_RSP changes only if the caller's stack depth does: skip the VMWRITE then. */
	cmp %rsp, host_rsp(%rip)
	jne write_host_rsp
load_guest:
	test %esi, %esi          /* flags survive the MOVs below */
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
	jz launch
	vmresume
	jmp entry_failed
launch:
	vmlaunch
entry_failed:
	/* CF=1: VMfailInvalid, ZF=1: VMfailValid. */
	mov $1, %eax
	jc 1f
	mov $2, %eax
1:	add $8, %rsp             /* regs */
	jmp restore_host

write_host_rsp:
	mov %rsp, host_rsp(%rip)
	mov $HOST_RSP, %eax
	vmwrite %rsp, %rax
	incq vmcs_writes(%rip)
	jmp load_guest

	.globl vmx_exit
vmx_exit:
	push %rdi
	mov 8(%rsp), %rdi        /* regs */
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
	add $8, %rsp             /* regs */
	xor %eax, %eax
restore_host:
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.bss
	.balign 8
host_rsp:
	.skip 8
