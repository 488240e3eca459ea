/* desc.h - GDT, TSS and IDT for a single-CPU long-mode kernel. */
#ifndef NB_DESC_H
#define NB_DESC_H

#include <stdint.h>

#define SEL_CODE64 0x08
#define SEL_DATA   0x10
#define SEL_TSS    0x18

/* Loads the runtime's GDT (with a TSS whose IST1 stack serves #DF, NMI and #MC, so a
 * blown kernel stack still produces a dump) and an IDT covering vectors 0-31. */
void desc_init(void);

/* Base addresses, for a hypervisor that must put them in its VMCS host-state area. */
uint64_t desc_gdt_base(void);
uint64_t desc_idt_base(void);
uint64_t desc_tss_base(void);

#endif
