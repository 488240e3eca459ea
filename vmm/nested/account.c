/* account.c - the episodes of account.h: which exit of L0 belongs to which exit of
 * L2, and what L1 spent in between. Every exit of an episode adds to its reason's
 * sums directly, so that an episode costs a few adds per exit and one copy at its
 * start; only an episode left unfinished at the end is taken back out. */
#include <stddef.h>
#include "nested/account.h"

struct account nested_account;

void account_reflect(struct account *a, unsigned reason)
{
	a->reflecting = true;
	a->reason = reason == ACCOUNT_OWN_REASON || reason < EXIT_REASON_MAX ? reason
									 : EXIT_REASON_MAX;
}

/* The reflected exit of L2 (reason as the processor gave it to L0), handled by L0
 * from t0 to t1: L1 runs from t1. */
static void episode_start(struct account *a, unsigned reason, uint64_t t0, uint64_t t1)
{
	unsigned r = a->reason == ACCOUNT_OWN_REASON ? reason : a->reason;
	struct account_stat *s = &a->stat[r];

	a->open = true;
	a->reflecting = false;
	a->ep_reason = r;
	a->episode++;
	a->at_start = s->sums;
	s->l0_exits++;
	s->l0_ticks += t1 - t0;
	a->l1_since = t1;
}

/* An exit of L1 in the episode, with L0 exit reason `reason`, handled from t0 to t1. */
static void episode_exit(struct account *a, unsigned reason, uint64_t t0, uint64_t t1)
{
	struct account_stat *s = &a->stat[a->ep_reason];

	s->l0_exits++;
	s->l0_ticks += t1 - t0;
	s->l1_ticks += t0 - a->l1_since;
	a->l1_since = t1;
	switch (reason) {
	case EXIT_REASON_VMREAD:
		s->vmreads++;
		break;
	case EXIT_REASON_VMWRITE:
		s->vmwrites++;
		break;
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMRESUME:
		s->vmresumes++;
		break;
	default:
		s->other++;
		s->others[reason]++;
		if (a->ep_stamp[reason] != a->episode) {
			a->ep_stamp[reason] = a->episode;
			a->ep_others[reason] = 0;
		}
		a->ep_others[reason]++;
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
		if (a->reflecting)
			episode_start(a, reason, t0, t1);
		else
			a->stat[reason].l0_only++;
		return;
	}
	episode_exit(a, reason, t0, t1);
	if (l2_runs) {
		a->stat[a->ep_reason].l2_exits++;
		a->stat[a->ep_reason].reflected++;
		a->open = false;
	}
}

void account_finish(struct account *a)
{
	if (!a->open)
		return;
	struct account_stat *s = &a->stat[a->ep_reason];
	s->sums = a->at_start;
	for (unsigned r = 0; r < ACCOUNT_REASONS; r++)
		if (a->ep_stamp[r] == a->episode)
			s->others[r] -= a->ep_others[r];
	s->unfinished++;
	a->open = false;
}
