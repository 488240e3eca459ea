/* boot.S - multiboot v1 entry: 32-bit protected mode to long mode, then C.
 *
 * The loader (GRUB, QEMU -kernel, our hypervisor, our KVM launcher) enters at _start
 * with paging off, EAX = 0x2BADB002 and EBX = the multiboot info. We identity-map
 * the first 4 GiB with 2 MiB pages - enough for every kernel here, and the page-table
 * builder in pt.c takes over from these tables - enable 5-level paging when the CPU
 * has LA57 (it can only be chosen before paging is on), switch to long mode and call
 * lib_start(magic, info). */
#include "cr.h"
#include "msr.h"
#include "multiboot.h"

#define PTE_P_RW 0x3
#define PDE_2M   0x83 /* P | RW | PS */

	.section .multiboot, "a"
	.align 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO
	.long -(MULTIBOOT_HEADER_MAGIC + (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO))

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov %eax, %esi                  /* keep magic and info out of the way of stosl */
	mov %ebx, %ebp

	/* Loaders are supposed to zero .bss; not all of them do for ELF32 images of
	 * ELF64 objects. Zero it ourselves: the boot page tables and stacks live there. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl

	mov $boot_stack_top, %esp
	mov %esi, boot_magic
	mov %ebp, boot_info

	/* Long mode needs CPUID.80000001H:EDX.LM[29]; say so instead of triple-faulting. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc no_long_mode

	/* PD[i] maps 2 MiB pages; four PDs cover 4 GiB. */
	mov $boot_pd, %edi
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $PDE_2M, %eax
	mov %eax, (%edi,%ecx,8)
	movl $0, 4(%edi,%ecx,8)
	inc %ecx
	cmp $2048, %ecx
	jb 1b
	/* PDPT[0..3] -> the four PDs. */
	mov $boot_pdpt, %edi
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd + PTE_P_RW, %eax
	mov %eax, (%edi,%ecx,8)
	inc %ecx
	cmp $4, %ecx
	jb 2b
	movl $boot_pdpt + PTE_P_RW, boot_pml4
	movl $boot_pml4 + PTE_P_RW, boot_pml5

	/* CR4.PAE, plus LA57 when CPUID.(EAX=7,ECX=0):ECX[16] says 5-level paging exists. */
	/* ESI and EDI, because CPUID writes EAX, EBX, ECX and EDX. */
	mov $CR4_PAE, %esi
	mov $boot_pml4, %edi
	xor %eax, %eax
	cpuid                           /* max basic leaf */
	cmp $7, %eax
	jb 3f
	mov $7, %eax
	xor %ecx, %ecx
	cpuid
	bt $16, %ecx
	jnc 3f
	or $CR4_LA57, %esi
	mov $boot_pml5, %edi
3:	mov %esi, %cr4
	mov %edi, %cr3

	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr

	mov %cr0, %eax
	or $(CR0_PE | CR0_PG | CR0_WP), %eax
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $start64

no_long_mode:
	/* No runtime yet: write the reason straight to port 0xE9 and COM1, then stop. */
	mov $msg_no_lm, %esi
4:	lodsb
	test %al, %al
	jz 5f
	mov $0xE9, %dx
	outb %al, %dx
	mov $0x3F8, %dx
	outb %al, %dx
	jmp 4b
5:	hlt
	jmp 5b

	.code64
start64:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	mov $boot_stack_top, %rsp
	xor %ebp, %ebp                  /* terminates frame-pointer backtraces */
	mov boot_magic(%rip), %edi
	mov boot_info(%rip), %esi
	call lib_start
6:	cli
	hlt
	jmp 6b

	.section .rodata
msg_no_lm:
	.asciz "nestbench: this CPU has no long mode (CPUID.80000001H:EDX.LM)\n"
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.bss
	.align 4096
	.globl boot_pml4
boot_pml5:	.skip 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.globl boot_stack_top
	.align 16
	.skip 16384
boot_stack_top:
boot_magic:	.skip 4
boot_info:	.skip 4
