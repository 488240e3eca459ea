/* desc.c - GDT, TSS and IDT (SDM Vol. 3, 3.4.5, 6.14 and 8.7). */
#include "desc.h"
#include "exception.h"
#include "string.h"

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iopb_offset;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define IDT_INTERRUPT_GATE 0x8E /* present, DPL 0, 64-bit interrupt gate */
#define TSS_AVAILABLE      0x89 /* present, DPL 0, 64-bit TSS (available) */
#define IST_FATAL          1

extern const uint64_t isr_table[EXC_COUNT];

static uint64_t gdt[5] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffff, /* SEL_CODE64 */
	0x00cf92000000ffff, /* SEL_DATA */
	0, 0,               /* SEL_TSS: 16-byte system descriptor, filled in below */
};
static struct tss64 tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t fatal_stack[8192] __attribute__((aligned(16)));

static void set_gate(int vec, uint64_t handler, int ist)
{
	idt[vec] = (struct idt_gate){
		.offset0 = (uint16_t)handler,
		.selector = SEL_CODE64,
		.ist = (uint8_t)ist,
		.type_attr = IDT_INTERRUPT_GATE,
		.offset1 = (uint16_t)(handler >> 16),
		.offset2 = (uint32_t)(handler >> 32),
	};
}

void desc_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_FATAL - 1] = (uint64_t)(fatal_stack + sizeof(fatal_stack));
	tss.iopb_offset = sizeof(tss); /* no I/O permission bitmap */
	gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   ((uint64_t)TSS_AVAILABLE << 40) | (((limit >> 16) & 0xf) << 48) |
			   (((base >> 24) & 0xff) << 56);
	gdt[SEL_TSS / 8 + 1] = base >> 32;

	struct desc_ptr gp = { sizeof(gdt) - 1, (uint64_t)gdt };
	/* Reload CS with a far return: there is no far jump to an absolute 64-bit target. */
	asm volatile("lgdt %0\n"
		     "pushq %1\n"
		     "leaq 1f(%%rip), %%rax\n"
		     "pushq %%rax\n"
		     "lretq\n"
		     "1: mov %2, %%eax\n"
		     "mov %%eax, %%ds\n"
		     "mov %%eax, %%es\n"
		     "mov %%eax, %%ss\n"
		     : : "m"(gp), "i"(SEL_CODE64), "i"(SEL_DATA) : "rax", "memory");
	asm volatile("ltr %w0" : : "r"(SEL_TSS));

	for (int v = 0; v < EXC_COUNT; v++)
		set_gate(v, isr_table[v],
			 (v == EXC_DF || v == EXC_NMI || v == EXC_MC) ? IST_FATAL : 0);
	struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };
	asm volatile("lidt %0" : : "m"(ip));
}

uint64_t desc_gdt_base(void) { return (uint64_t)gdt; }
uint64_t desc_idt_base(void) { return (uint64_t)idt; }
uint64_t desc_tss_base(void) { return (uint64_t)&tss; }
