/* entry.S - the early guest's entry point: checks that must run in the state the
 * loader hands over, before lib/boot.S replaces it. The results go to .data (boot.S
 * clears .bss), and early.c prints them once the runtime is up.
 *
 * 1. The loader's GDT (always). Multiboot leaves GDTR undefined, but GRUB and QEMU
 *    -kernel leave a valid flat GDT, and kernels rely on it. So: copy the
 *    descriptors CS, DS and SS name, reload DS, ES, FS, GS and SS from their own
 *    selectors, and take a #UD through an IDT gate that names the loader's CS (the
 *    IRET reloads CS as well). With an empty GDT the first reload faults, the fault
 *    cannot be delivered either, and the machine triple-faults.
 * 2. Real mode (only with the word realmode=1 on the command line). Clears CR0.PE (paging is
 *    off, as multiboot starts it) and, in real mode with an IVT of its own: an RDMSR
 *    of an MSR no CPU has and a WRMSR to the read-only IA32_VMX_BASIC, each of which
 *    must raise #GP through IVT vector 13 with the saved IP at the instruction (real
 *    mode pushes no error code); then writes CR0 = 0x30 (NE), 0x60000010 (CD, NW)
 *    and 0x10, reading each back. Back in protected mode on a GDT of its own.
 * Then it enters the runtime at _start with EAX and EBX as the loader gave them. The
 * build makes early_start the ELF entry point. */
#include "cr.h"
#include "msr.h"
#include "multiboot.h"

#define MSR_NONE   0x2000     /* no MSR there on any CPU (and outside the VMX MSR bitmap) */
#define RM_SEG     0xffff     /* real-mode segment whose base, 0xffff0, reaches the */
#define RM_BASE    0xffff0    /* first 64 KiB above 1 MiB, where this kernel starts */
#define OFF(sym)   ((sym) - RM_BASE) /* an offset in RM_SEG; the link fails if it is not 16-bit */
#define EXC_UD     6
#define EXC_GP     13
#define GATE_INT32 0x8e00     /* present, DPL 0, 32-bit interrupt gate */
#define SEL_CODE32 0x08       /* in early_gdt */
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18
#define SEL_DATA16 0x20

	.section .text.boot, "ax"
	.code32
	.globl early_start
early_start:
	cli
	mov %eax, saved_eax
	mov %ebx, saved_ebx
	mov $early_stack_top, %esp

	/* ---- 1. the loader's GDT ---- */
	sgdt loader_gdtr
	mov %cs, loader_cs
	mov %ds, loader_ds
	mov %ss, loader_ss
	mov loader_gdtr + 2, %esi
	.irp r, cs, ds, ss              /* copy the descriptor each selector names */
	movzwl loader_\r, %eax
	and $~7, %eax
	mov (%esi,%eax), %edx
	mov %edx, loader_\r\()_desc
	mov 4(%esi,%eax), %edx
	mov %edx, loader_\r\()_desc + 4
	.endr

	mov $ud_handler, %eax           /* the #UD gate, naming the loader's CS */
	mov %ax, early_idt + EXC_UD * 8
	mov %cs, %dx
	mov %dx, early_idt + EXC_UD * 8 + 2
	movw $GATE_INT32, early_idt + EXC_UD * 8 + 4
	shr $16, %eax
	mov %ax, early_idt + EXC_UD * 8 + 6
	lidt early_idt_ptr

	.irp r, ds, es, fs, gs, ss      /* each load reads the loader's descriptor */
	mov %\r, %ax
	mov %ax, %\r
	.endr
	ud2                             /* ud_handler skips it */

	/* ---- 2. real mode, if asked for ---- */
	mov saved_ebx, %ebx
	call want_realmode
	jnz 1f
	call realmode_trip
1:
	mov saved_eax, %eax
	mov saved_ebx, %ebx
	jmp _start

ud_handler:
	mov %cs, ud_cs
	incl ud_count
	addl $2, (%esp)                 /* past the UD2 */
	iret

/* ZF set when the command line in the multiboot info at EBX has the word
 * "realmode=1" (words are separated by spaces, as early.c's parser also accepts;
 * GRUB passes the arguments alone, QEMU and our loader put the kernel's path first). */
want_realmode:
	testl $MULTIBOOT_INFO_CMDLINE, (%ebx)
	jz 4f
	mov 16(%ebx), %esi
	mov %esi, %ecx                  /* the start: a word begins there too */
2:	cmpb $0, (%esi)
	je 4f
	cmp %ecx, %esi
	je 3f
	cmpb $' ', -1(%esi)
	jne 6f                          /* not the start of a word */
3:	mov $realmode_key, %edi
	mov %esi, %edx
7:	mov (%edi), %al
	test %al, %al
	jz 8f
	cmp (%edx), %al
	jne 6f
	inc %edi
	inc %edx
	jmp 7b
8:	mov (%edx), %al                 /* the key matched; it must be the whole word */
	test %al, %al
	jz 5f                           /* ZF set */
	cmp $' ', %al
	je 5f                           /* ZF set */
6:	inc %esi
	jmp 2b
4:	or $1, %eax                     /* no such word: ZF clear */
5:	ret

realmode_trip:
	mov %esp, saved_esp
	lgdt early_gdt_ptr
	ljmp $SEL_CODE16, $OFF(rm_pm16)

	.code16
rm_pm16:                                /* 16-bit protected mode, segments based at RM_BASE */
	mov $SEL_DATA16, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	xor %esp, %esp
	mov $OFF(rm_stack_top), %sp
	lidtl OFF(rm_ivt_ptr)
	mov %cr0, %eax
	and $~CR0_PE, %eax
	mov %eax, %cr0
	ljmp $RM_SEG, $OFF(rm_real)

rm_real:                                /* real mode */
	mov $RM_SEG, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	movb $1, OFF(rm_ran)
	mov $MSR_NONE, %ecx
	movw $OFF(7f), OFF(rm_gp_want)
7:	rdmsr
	mov $MSR_IA32_VMX_BASIC, %ecx
	xor %eax, %eax
	xor %edx, %edx
	movw $OFF(8f), OFF(rm_gp_want)
8:	wrmsr
	.irp i, 0, 1, 2                 /* write rm_cr0_wrote[i], read rm_cr0_read[i] */
	mov OFF(rm_cr0_wrote) + 4 * \i, %eax
	mov %eax, %cr0
	mov %cr0, %eax
	mov %eax, OFF(rm_cr0_read) + 4 * \i
	.endr

	or $CR0_PE, %eax                /* back to 32-bit protected mode */
	mov %eax, %cr0
	ljmpl $SEL_CODE32, $rm_back32

/* #GP in real mode: FLAGS, CS and IP on the stack and no error code. Counts it, and
 * whether the saved IP is the instruction's, then skips the 2-byte RDMSR/WRMSR. */
rm_gp:
	push %bp
	mov %sp, %bp
	incw OFF(rm_gp_count)
	mov 2(%bp), %ax
	cmp OFF(rm_gp_want), %ax
	jne 9f
	incw OFF(rm_gp_at_insn)
9:	addw $2, 2(%bp)
	pop %bp
	iret

	.code32
rm_back32:
	mov $SEL_DATA32, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	mov saved_esp, %esp
	lidt early_idt_ptr
	ret

	.section .rodata
realmode_key:
	.asciz "realmode=1"

	.data
	.align 8
early_idt:
	.skip (EXC_UD + 1) * 8
early_idt_ptr:
	.word (EXC_UD + 1) * 8 - 1
	.long early_idt
	.align 8
early_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff        /* 0x08: 32-bit code, flat */
	.quad 0x00cf93000000ffff        /* 0x10: 32-bit data, flat */
	.quad 0x00009b0ffff0ffff        /* 0x18: 16-bit code, base RM_BASE, limit 64 KiB */
	.quad 0x0000930ffff0ffff        /* 0x20: 16-bit data, base RM_BASE, limit 64 KiB */
early_gdt_ptr:
	.word early_gdt_ptr - early_gdt - 1
	.long early_gdt
rm_ivt:                                 /* vectors 0-13, real-mode segment:offset */
	.skip EXC_GP * 4
	.word OFF(rm_gp), RM_SEG
rm_ivt_ptr:
	.word rm_ivt_ptr - rm_ivt - 1
	.long rm_ivt
saved_eax:	.long 0
saved_ebx:	.long 0
saved_esp:	.long 0

	/* What early.c reports. */
	.globl loader_gdtr, loader_cs, loader_ds, loader_ss
	.globl loader_cs_desc, loader_ds_desc, loader_ss_desc, ud_cs, ud_count
	.globl rm_ran, rm_gp_count, rm_gp_at_insn, rm_cr0_wrote, rm_cr0_read
	.align 8
loader_cs_desc:	.quad 0
loader_ds_desc:	.quad 0
loader_ss_desc:	.quad 0
loader_gdtr:	.skip 6                 /* limit, then base */
loader_cs:	.word 0
loader_ds:	.word 0
loader_ss:	.word 0
ud_cs:		.word 0
ud_count:	.long 0
rm_ran:		.byte 0
		.align 2
rm_gp_want:	.word 0
rm_gp_count:	.word 0
rm_gp_at_insn:	.word 0
/* Real-mode CR0 values whose every bit a guest may set (PE and PG clear); the last
 * one, PE aside, is what protected mode resumes with. */
rm_cr0_wrote:	.long CR0_ET | CR0_NE, CR0_ET | CR0_CD | CR0_NW, CR0_ET
rm_cr0_read:	.long 0, 0, 0

	.bss
	.align 16
	.skip 512
rm_stack_top:
	.skip 512
early_stack_top:
