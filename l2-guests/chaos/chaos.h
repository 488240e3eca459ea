/* chaos.h - what the chaos guest's files share (chaos.c holds main and the case
 * table; vmx.c, vmcs_self.c and pte.c hold a case or its parts). */
#ifndef NB_CHAOS_H
#define NB_CHAOS_H

#include <stdint.h>

/* The first byte past the RAM the memory map calls available. */
uint64_t ram_end(void);
/* Prints "chaos: ..." and drains COM1: what follows may stop the machine. */
__attribute__((format(printf, 1, 2)))
void announce(const char *fmt, ...);
/* For a case the hypervisor should have stopped: "FAIL <case>: still running". */
int still_running(const char *c);

/* What SGDT and SIDT store, and LGDT and LIDT load. */
struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Fills the current VMCS (vmcs_self.c) for a guest that is this kernel itself at a
 * CPUID, which exits at once, under EPT that maps the start of RAM as it is, and
 * with the host state the current state, to be completed by HOST_RSP and HOST_RIP
 * just before VM entry. *eptp: the EPT pointer written. 0, or -1 when the platform
 * lacks something this needs (then nothing is written). */
int vmcs_self_fill(uint64_t *eptp);

/* A VM exit leaves the GDTR and IDTR limits at 0xffff (27.5.2): puts back those
 * vmcs_self_fill() found, as a hypervisor does after its guest's exits. */
void vmcs_self_tables(void);

int case_vmx(void);         /* vmx.c */
int case_pte_escape(void);  /* pte.c */

#endif
