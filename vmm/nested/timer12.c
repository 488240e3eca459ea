/* timer12.c - L1's VMX-preemption timer for L2 (SDM 25.5.1), and L0's own budget
 * (timeout=), on the one timer of vmcs02.
 *
 * L1 sees the platform's timer rate (caps12.c leaves IA32_VMX_MISC[4:0] alone), so
 * both budgets count in the same ticks: vmcs02 runs the smaller one, with its value
 * saved at every exit, and each exit of L2 charges what ran to both. The timer that
 * reaches 0 says whose exit it is. Time L0 spends handling L2's exits is not
 * charged: L1 would not have seen it as L2 running either. One vCPU: the state is
 * static. */
#include <stddef.h>
#include "exits.h"
#include "nested.h"
#include "nested/timer12.h"
#include "nested/vmcs12.h"
#include "vmx.h"

static struct {
	bool l0_on, l12_on;        /* whose budget vmcs02's timer runs */
	uint32_t l0_left, l12_left;
	uint32_t loaded;           /* vmcs02's timer value when the budgets were last charged */
} t;

/* Loads the budget that expires first into vmcs02. */
static void load(void)
{
	t.loaded = !t.l12_on ? t.l0_left : !t.l0_on ? t.l12_left
		   : t.l0_left < t.l12_left ? t.l0_left : t.l12_left;
	vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, t.loaded);
}

bool timer12_active;

void timer12_enter_now(const struct vmcs12 *r, uint32_t pin12, bool l0_on, uint32_t l0_timer,
		       uint32_t exit02)
{
	t.l0_on = l0_on;
	t.l0_left = l0_timer;
	/* Without "save VMX-preemption timer value", each VM entry starts L1's timer
	 * afresh from the field (25.5.1); with it, the field holds what was left. */
	t.l12_on = pin12 & PIN_BASED_VMX_PREEMPTION_TIMER;
	t.l12_left = (uint32_t)F12(r, VMX_PREEMPTION_TIMER_VALUE);
	timer12_active = t.l0_on || t.l12_on;
	if (!timer12_active)
		return;
	/* vmcs02 must save what is left, to charge it, even where L0 alone would not. */
	if (!(exit02 & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER))
		vmcs_write32(VM_EXIT_CONTROLS, exit02 | VM_EXIT_SAVE_VMX_PREEMPTION_TIMER);
	load();
}

void timer12_account_now(void)
{
	uint32_t now = vmcs_read32(VMX_PREEMPTION_TIMER_VALUE);
	uint32_t ran = t.loaded - now;
	t.l0_left -= t.l0_on ? ran : 0;
	t.l12_left -= t.l12_on ? ran : 0;
	t.loaded = now;
}

/* L0's budget ran out while L2 ran: L0's handler loads its next part (or stops the
 * guest), and the smaller budget runs on. */
static enum exit_action l0_expired(struct vcpu *v)
{
	enum exit_action a = handle_preemption_timer(v);

	if (a == HV_RESUME) {
		t.l0_left = vmcs_read32(VMX_PREEMPTION_TIMER_VALUE);
		load();
	}
	return a;
}

exit_handler_fn timer12_expired(void)
{
	if (t.l0_on && !t.l0_left)
		return l0_expired;
	return t.l12_on ? exit12_as_is : NULL;
}

uint32_t timer12_leave_now(struct vmcs12 *r)
{
	timer12_account_now();
	if (t.l12_on && (F12(r, VM_EXIT_CONTROLS) & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER))
		F12(r, VMX_PREEMPTION_TIMER_VALUE) = t.l12_left;
	uint32_t l0 = t.l0_on ? t.l0_left : 0;
	t.l0_on = t.l12_on = timer12_active = false;
	return l0;
}
