/* run.c - the run loop: enter the guest, dispatch its exit by reason, account it. */
#include "cpu.h"
#include "exit.h"
#include "exits.h"
#include "nested/account.h"
#include "nested/nested.h"
#include "printf.h"
#include "vmcs.h"
#include "vmx_setup.h"

static enum exit_action handle_unknown(struct vcpu *v);

/* Every slot holds a handler, so dispatch needs no NULL test; the last slot catches
 * reasons beyond the table. Written only before the guest runs (exit_handler_set). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static exit_handler_fn handlers[EXIT_REASON_MAX + 1] = {
	[0 ... EXIT_REASON_MAX] = handle_unknown,
	[EXIT_REASON_EXCEPTION_NMI] = handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_REASON_CPUID] = handle_cpuid,
	[EXIT_REASON_GETSEC] = handle_ud,
	[EXIT_REASON_HLT] = handle_hlt,
	[EXIT_REASON_INVD] = handle_invd,
	[EXIT_REASON_RDPMC] = handle_gp,
	[EXIT_REASON_VMCALL] = handle_vmcall,
	/* The VMX instructions exit unconditionally; guest_sees_vmx() decides the answer. */
	[EXIT_REASON_VMCLEAR] = handle_vmx_insn,
	[EXIT_REASON_VMLAUNCH] = handle_vmx_insn,
	[EXIT_REASON_VMPTRLD] = handle_vmx_insn,
	[EXIT_REASON_VMPTRST] = handle_vmx_insn,
	[EXIT_REASON_VMREAD] = handle_vmx_insn,
	[EXIT_REASON_VMRESUME] = handle_vmx_insn,
	[EXIT_REASON_VMWRITE] = handle_vmx_insn,
	[EXIT_REASON_VMOFF] = handle_vmx_insn,
	[EXIT_REASON_VMON] = handle_vmx_insn,
	[EXIT_REASON_INVEPT] = handle_vmx_insn,
	[EXIT_REASON_INVVPID] = handle_vmx_insn,
	[EXIT_REASON_VMFUNC] = handle_vmx_insn,
	[EXIT_REASON_CR_ACCESS] = handle_cr,
	[EXIT_REASON_IO_INSTRUCTION] = handle_io,
	[EXIT_REASON_MSR_READ] = handle_rdmsr,
	[EXIT_REASON_MSR_WRITE] = handle_wrmsr,
	/* MONITOR/MWAIT are hidden in CPUID; MWAIT could otherwise sleep for ever. */
	[EXIT_REASON_MWAIT_INSTRUCTION] = handle_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION] = handle_ud,
	[EXIT_REASON_EPT_VIOLATION] = handle_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG] = handle_ept_misconfig,
	[EXIT_REASON_PREEMPTION_TIMER] = handle_preemption_timer,
	[EXIT_REASON_XSETBV] = handle_xsetbv,
	/* paging=shadow only: the guest's TLB maintenance reaches the shadow. */
	[EXIT_REASON_INVLPG] = handle_invlpg,
	[EXIT_REASON_INVPCID] = handle_invpcid,
};
#pragma GCC diagnostic pop

void exit_handler_set(unsigned reason, exit_handler_fn fn)
{
	handlers[reason] = fn;
}

/* VMLAUNCH/VMRESUME failed as an instruction (30.4): the control or host state is bad. */
static void vm_instruction_failed(struct vcpu *v, int how)
{
	if (how == 1) {
		vcpu_stop(v, EXIT_FAIL, "VM entry failed: VMfailInvalid (no current VMCS)");
		return;
	}
	uint32_t e = vmcs_read32(VM_INSTRUCTION_ERROR);
	vcpu_stop(v, EXIT_FAIL, "VM entry failed: VM-instruction error %u: %s", e,
		  vmx_insn_error_str(e));
}

/* VM entry failed while loading guest state (26.8): reported as an exit with bit 31.
 * Out of line: inlined, its call frame would cost every exit a push and a pop. */
static __attribute__((noinline, cold)) enum exit_action vm_entry_failed(struct vcpu *v,
									 uint32_t reason)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(reason);
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);

	/* Only a VM entry that succeeds makes a VMCS launched: this one is still clear. */
	v->vmcs->launched = false;
	static const char *const qual[] = {
		"no detail", "reserved", "loading PDPTEs", "injecting an NMI",
		"invalid VMCS link pointer",
	};

	printf("hv: guest state at the failed entry: cr0 %#lx cr4 %#lx efer %#lx rflags %#lx "
	       "rip %#lx cs ar %#x\n",
	       vmcs_readnat(GUEST_CR0), vmcs_readnat(GUEST_CR4), vmcs_read64(GUEST_IA32_EFER),
	       vmcs_readnat(GUEST_RFLAGS), vmcs_readnat(GUEST_RIP),
	       vmcs_read32(GUEST_CS_AR_BYTES));
	return vcpu_stop(v, EXIT_FAIL,
			 "VM entry failed: exit reason %u (%s), qualification %lu (%s); "
			 "SDM 26.3 lists the guest-state checks",
			 basic, basic == EXIT_REASON_INVALID_STATE ? "invalid guest state"
				: basic == EXIT_REASON_MSR_LOAD_FAIL ? "MSR loading"
				: basic == EXIT_REASON_MCE_DURING_VMENTRY ? "machine check"
				: exit_reason_name(basic),
			 q, q < 5 ? qual[q] : "unknown");
}

static enum exit_action handle_unknown(struct vcpu *v)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(vmcs_read32(VM_EXIT_REASON));

	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "unhandled exit reason %u (%s), qualification %#lx", basic,
			 exit_reason_name(basic), vmcs_readnat(EXIT_QUALIFICATION));
}

/* The account of an exit that may be part of an episode (account.h): an exit of
 * L2, or of L1 while it handles one of L2's. Only the exit functions that account
 * have it (inlined: measured, that is shorter than a tail call to it). It runs after
 * the handler, whose vcpu_load_vmcs() chose the exit function for the VMCS it made
 * current; an open episode then overrides that choice for L1, so that L1's exits
 * are accounted exactly while it handles an exit of L2 and never otherwise. */
static inline __attribute__((always_inline)) void
exit_accounted(struct vcpu *v, bool from_l2, unsigned idx, uint64_t t0, uint64_t t1)
{
	account_exit(&nested_account, from_l2, idx, v->running_l2, t0, t1);
	if (nested_account.open && !v->running_l2)
		v->exit_path = vcpu_exit_l1_episode;
}

/* Handles an exit of the guest at level, with the guest's registers in v->regs.
 * Returns HV_RESUME to VMRESUME at once, HV_STOP to return from vmx_run, HV_ENTER
 * to enter the VMCS a handler made current. Inlined into one function per level
 * and whether the exit is accounted, so that both are constants: an exit of L1
 * pays nothing for the hook that only L2's exits pass, nor for choosing its
 * statistics, nor, outside an episode, for the account. The statistics cost a few
 * instructions per exit; they are the point of the exercise. */
static inline __attribute__((always_inline)) enum exit_action
exit_from(struct vcpu *v, const enum vcpu_level level, const bool accounted)
{
	uint64_t t0 = rdtsc();

	vmcs_reads = vmcs_writes = 0;
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);
	if (__builtin_expect(reason & VMX_EXIT_REASONS_FAILED_VMENTRY, 0))
		return level == LEVEL_L2 ? nested_entry_failed(v, reason)
					 : vm_entry_failed(v, reason);
	uint32_t basic = VMX_EXIT_REASON_BASIC(reason);
	unsigned idx = basic < EXIT_REASON_MAX ? basic : EXIT_REASON_MAX;
	exit_handler_fn handler = handlers[idx];
	if (level == LEVEL_L2) {
		exit_handler_fn to_l1 = nested_reflect_handler(v, basic);
		if (to_l1)
			handler = to_l1;
	}
	enum exit_action next = handler(v);

	struct exit_stat *s = &exit_stats[level][idx];
	s->count++;
	s->vmreads += vmcs_reads;
	s->vmwrites += vmcs_writes;
	uint64_t t1 = rdtsc();
	s->tsc += t1 - t0;
	if (accounted)
		exit_accounted(v, level == LEVEL_L2, idx, t0, t1);
	return next;
}

enum exit_action vcpu_exit_l1(struct vcpu *v)
{
	return exit_from(v, LEVEL_L1, false);
}

enum exit_action vcpu_exit_l1_episode(struct vcpu *v)
{
	return exit_from(v, LEVEL_L1, true);
}

enum exit_action vcpu_exit_l2(struct vcpu *v)
{
	return exit_from(v, LEVEL_L2, true);
}

int vcpu_run(struct vcpu *v)
{
	int r = vmx_run(v);

	if (r)
		vm_instruction_failed(v, r);
	else if (vmcs_check_no_failure() && !v->status)
		v->status = EXIT_FAIL;
	return v->status;
}
