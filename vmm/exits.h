/* exits.h - the exit handlers, one file per concern, gathered by the dispatch table
 * in run.c. */
#ifndef NB_EXITS_H
#define NB_EXITS_H

#include "exception.h"
#include "hv.h"
#include "vmx.h"

int handle_cpuid(struct vcpu *v);         /* cpuid.c */
int handle_vmcall(struct vcpu *v);        /* hypercall.c */
int handle_io(struct vcpu *v);            /* io.c */
int handle_rdmsr(struct vcpu *v);         /* msr.c */
int handle_wrmsr(struct vcpu *v);
int handle_cr(struct vcpu *v);            /* cr.c */
int handle_xsetbv(struct vcpu *v);        /* misc.c */
int handle_hlt(struct vcpu *v);
int handle_invd(struct vcpu *v);
int handle_ud(struct vcpu *v);
int handle_gp(struct vcpu *v);
int handle_triple_fault(struct vcpu *v);
int handle_exception_nmi(struct vcpu *v);
int handle_external_interrupt(struct vcpu *v);
int handle_preemption_timer(struct vcpu *v);
int handle_ept_violation(struct vcpu *v); /* ept_fault.c */
int handle_ept_misconfig(struct vcpu *v);

/* vmcs_init.c: the CR0/CR4 bits VMX forces, which the guest therefore cannot own. */
uint64_t cr0_host_owned(void);
uint64_t cr4_host_owned(void);

/* run.c */
int vcpu_run(struct vcpu *v);
const char *exit_reason_name(unsigned reason);

/* stats.c */
struct exit_stat {
	uint64_t count, tsc, vmreads, vmwrites;
};
extern struct exit_stat exit_stats[EXIT_REASON_MAX + 1]; /* last: unknown reasons */
extern uint64_t io_unclaimed, io_unclaimed_last_port;
void stats_print(void);

#endif
