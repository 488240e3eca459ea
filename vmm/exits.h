/* exits.h - the exit handlers, one file per concern, gathered by the dispatch table
 * in run.c. */
#ifndef NB_EXITS_H
#define NB_EXITS_H

#include "exception.h"
#include "hv.h"
#include "vmx.h"

enum exit_action handle_cpuid(struct vcpu *v);         /* cpuid.c */
/* cpuid.c: chooses the CPUID handler once, before the guest runs (hv_level set). */
void cpuid_setup(void);
enum exit_action handle_vmcall(struct vcpu *v);        /* hypercall.c */
enum exit_action handle_io(struct vcpu *v);            /* io.c */
enum exit_action handle_rdmsr(struct vcpu *v);         /* msr.c */
enum exit_action handle_wrmsr(struct vcpu *v);
#define RDMSR_WRMSR_LEN 2
/* The end of an emulated RDMSR (msr.c; vmm/nested/msr02.c too): val into EDX:EAX
 * and past the instruction, or #GP when not ok. Inline: on the RDMSR exit's path. */
static inline enum exit_action rdmsr_done(struct vcpu *v, bool ok, uint64_t val)
{
	if (!ok) {
		vcpu_inject(EXC_GP, 0);
		return HV_RESUME;
	}
	v->regs.gpr[GPR_RAX] = (uint32_t)val;
	v->regs.gpr[GPR_RDX] = val >> 32;
	vcpu_skip(RDMSR_WRMSR_LEN);
	return HV_RESUME;
}
/* The 64-bit operand of WRMSR and XSETBV: EDX:EAX. */
static inline uint64_t edx_eax(const struct vcpu *v)
{
	return v->regs.gpr[GPR_RDX] << 32 | (uint32_t)v->regs.gpr[GPR_RAX];
}
enum exit_action handle_cr(struct vcpu *v);            /* cr.c */
enum exit_action handle_xsetbv(struct vcpu *v);        /* misc.c */
enum exit_action handle_hlt(struct vcpu *v);
enum exit_action handle_invd(struct vcpu *v);
enum exit_action handle_ud(struct vcpu *v);
enum exit_action handle_vmx_insn(struct vcpu *v);
enum exit_action handle_gp(struct vcpu *v);
enum exit_action handle_triple_fault(struct vcpu *v);
enum exit_action handle_exception_nmi(struct vcpu *v);
enum exit_action handle_external_interrupt(struct vcpu *v);
enum exit_action handle_preemption_timer(struct vcpu *v);
enum exit_action handle_ept_violation(struct vcpu *v); /* ept_fault.c */
enum exit_action handle_ept_misconfig(struct vcpu *v);
enum exit_action shadow_page_fault(struct vcpu *v);    /* shadow/fault.c (paging=shadow) */
enum exit_action handle_invlpg(struct vcpu *v);
enum exit_action handle_invpcid(struct vcpu *v);

/* A guest register by SDM number, RSP from the VMCS (cr.c). */
uint64_t gpr_get(struct vcpu *v, unsigned n);
void gpr_set(struct vcpu *v, unsigned n, uint64_t val);
/* The guest's CR3 and EFER as it sees them: under paging=shadow the VMCS holds the
 * shadow's root and the real EFER (shadow/mode.c). */
uint64_t guest_cr3(void);
uint64_t guest_efer(void);

/* vmcs_init.c: the CR0/CR4 bits VMX forces, which the guest therefore cannot own. */
uint64_t cr0_host_owned(void);
uint64_t cr4_host_owned(void);
/* The real CR0/CR4 the guest runs with for the values it sees (fixed bits; under
 * paging=shadow also the bits shadow paging needs). */
uint64_t cr0_real(uint64_t guest);
uint64_t cr4_real(uint64_t guest);

/* run.c: the handler of a basic exit reason (below EXIT_REASON_MAX), for a choice
 * made at start-up; only before the guest runs. */
void exit_handler_set(unsigned reason, exit_handler_fn fn);
/* run.c: runs the guest to its end; returns the exit status (v->status). */
int vcpu_run(struct vcpu *v);
/* run.c: what entry.S calls after an exit (v->exit_path): of L1, of L1 while it
 * handles an exit of L2 (an episode of nested/account.h, which only this one
 * accounts), of L2. */
enum exit_action vcpu_exit_l1(struct vcpu *v);
enum exit_action vcpu_exit_l1_episode(struct vcpu *v);
enum exit_action vcpu_exit_l2(struct vcpu *v);

/* stats.c */
struct exit_stat {
	uint64_t count, tsc, vmreads, vmwrites;
};
/* By the level the exit came from, then by reason; the last: unknown reasons. */
extern struct exit_stat exit_stats[LEVELS][EXIT_REASON_MAX + 1];
extern uint64_t io_unclaimed, io_unclaimed_last_port;
void stats_print(void);

#endif
