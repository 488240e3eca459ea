/* timer12.h - L1's VMX-preemption timer for L2, on the one timer vmcs02 has. */
#ifndef NB_NESTED_TIMER12_H
#define NB_NESTED_TIMER12_H

#include <stdbool.h>
#include <stdint.h>
#include "hv.h"
#include "vmx.h"

struct vmcs12;

/* At an entry to L2, vmcs02 current and its controls written: l0_timer is L0's
 * budget left (timeout=; l0_on false when L0 has none), pin12 L1's pin-based
 * controls, exit02 the VM-exit controls written to vmcs02. Loads the timer that
 * expires first. */
void timer12_enter_now(const struct vmcs12 *r, uint32_t pin12, bool l0_on, uint32_t l0_timer,
		       uint32_t exit02);
/* Whether vmcs02's timer runs a budget: the test every entry and exit of L2 makes
 * inline, so that a stack without timers pays no call for them. */
extern bool timer12_active;
static inline void timer12_enter(const struct vmcs12 *r, uint32_t pin12, bool l0_on,
				 uint32_t l0_timer, uint32_t exit02)
{
	if (l0_on || (pin12 & PIN_BASED_VMX_PREEMPTION_TIMER))
		timer12_enter_now(r, pin12, l0_on, l0_timer, exit02);
	else
		timer12_active = false;
}

/* At every exit of L2, vmcs02 current: charges the time L2 ran to both budgets. */
void timer12_account_now(void);
static inline void timer12_account(void)
{
	if (timer12_active)
		timer12_account_now();
}

/* The handler for a preemption-timer exit of L2 (after timer12_account): L0's own
 * when its budget ran out (it loads the next part or stops the guest), else the
 * reflection to L1, whose timer expired. */
exit_handler_fn timer12_expired(void);

/* At the exit to L1, vmcs02 still current: saves L1's timer into r when L1's
 * VM-exit controls ask (27.3.4) and returns L0's budget left for vmcs01 (0: none). */
uint32_t timer12_leave_now(struct vmcs12 *r);
static inline uint32_t timer12_leave(struct vmcs12 *r)
{
	return timer12_active ? timer12_leave_now(r) : 0;
}

#endif
