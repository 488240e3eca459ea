/* account.c - the episodes of account.h: which exit of L0 belongs to which exit of
 * L2, and what L1 spent in between. Every exit of an episode adds to its reason's
 * sums directly, so that an episode costs a few adds per exit and one copy at its
 * start; only an episode left unfinished at the end is taken back out. */
#include <stddef.h>
#include "nested/account.h"

struct account nested_account;

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
