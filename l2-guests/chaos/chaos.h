/* chaos.h - what the chaos guest's case files share (chaos.c holds main and the
 * case table; vmx.c and pte.c hold a case each). */
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

int case_vmx(void);         /* vmx.c */
int case_pte_escape(void);  /* pte.c */

#endif
