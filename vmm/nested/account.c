/* account.c - the episodes of account.h: which exit of L0 belongs to which exit of
 * L2, and what L1 spent in between. */
#include <stddef.h>
#include "nested/account.h"

struct account nested_account;

void account_reflect(struct account *a, unsigned reason)
{
	a->reflecting = true;
	a->reason = reason == ACCOUNT_OWN_REASON || reason < EXIT_REASON_MAX ? reason
									 : EXIT_REASON_MAX;
}

/* The reflected exit of L2, handled by L0 from t0 to t1: L1 runs from t1. */
static void episode_start(struct account *a, uint64_t t0, uint64_t t1)
{
	struct account_episode *e = &a->ep;

	a->open = true;
	a->reflecting = false;
	e->reason = a->reason;
	e->l0_exits = 1;
	e->vmreads = e->vmwrites = e->vmresumes = e->other = e->l1_ticks = 0;
	e->l0_ticks = t1 - t0;
	e->l1_since = t1;
}

/* Clears the slots of others the episode touched, adding them to `to` unless NULL. */
static void episode_drain_others(struct account_episode *e, uint64_t *to)
{
	for (unsigned i = 0; i < e->ntouched; i++) {
		unsigned x = e->touched[i];
		if (to)
			to[x] += e->others[x];
		e->others[x] = 0;
	}
	e->ntouched = 0;
}

static void episode_end(struct account *a)
{
	struct account_episode *e = &a->ep;
	struct account_stat *s = &a->stat[e->reason];

	s->l2_exits++;
	s->reflected++;
	s->l0_exits += e->l0_exits;
	s->vmreads += e->vmreads;
	s->vmwrites += e->vmwrites;
	s->vmresumes += e->vmresumes;
	s->other += e->other;
	s->l0_ticks += e->l0_ticks;
	s->l1_ticks += e->l1_ticks;
	episode_drain_others(e, s->others);
	a->open = false;
}

/* An exit of L1 in the episode, handled from t0 to t1. */
static void episode_exit(struct account_episode *e, unsigned reason, uint64_t t0, uint64_t t1)
{
	e->l0_exits++;
	e->l0_ticks += t1 - t0;
	e->l1_ticks += t0 - e->l1_since;
	e->l1_since = t1;
	switch (reason) {
	case EXIT_REASON_VMREAD:
		e->vmreads++;
		break;
	case EXIT_REASON_VMWRITE:
		e->vmwrites++;
		break;
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMRESUME:
		e->vmresumes++;
		break;
	default:
		e->other++;
		if (!e->others[reason]++)
			e->touched[e->ntouched++] = reason;
	}
}

void account_exit(struct account *a, bool from_l2, unsigned reason, bool l2_runs,
		  uint64_t t0, uint64_t t1)
{
	if (!from_l2 && !a->open)
		return;
	if (reason > EXIT_REASON_MAX)
		reason = EXIT_REASON_MAX;
	if (from_l2) {
		if (a->reflecting && a->reason == ACCOUNT_OWN_REASON)
			a->reason = reason;
		if (a->reflecting)
			episode_start(a, t0, t1);
		else
			a->stat[reason].l0_only++;
		return;
	}
	episode_exit(&a->ep, reason, t0, t1);
	if (l2_runs)
		episode_end(a);
}

void account_finish(struct account *a)
{
	if (!a->open)
		return;
	a->stat[a->ep.reason].unfinished++;
	episode_drain_others(&a->ep, NULL);
	a->open = false;
}
