/* chaos.h - what the chaos guest's files share. */
#ifndef NB_CHAOS_H
#define NB_CHAOS_H

#include <stdint.h>

/* The first byte past the RAM the memory map calls available. */
uint64_t ram_end(void);

/* Case vmx (vmx.c). */
int case_vmx(void);

/* Fills the current VMCS (vmcs_self.c) for a guest that is this kernel itself at a
 * CPUID, which exits at once, under EPT that maps the start of RAM as it is, and
 * with the host state the current state, to be completed by HOST_RSP and HOST_RIP
 * just before VM entry. *eptp: the EPT pointer written. 0, or -1 when the platform
 * lacks something this needs (then nothing is written). */
int vmcs_self_fill(uint64_t *eptp);

#endif
