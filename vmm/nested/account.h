/* account.h - what each exit of L2 that L0 reflects to L1 costs at L0.
 *
 * An episode starts when an exit of L2 with reason R is reflected to L1 and ends
 * when L1's next VMLAUNCH or VMRESUME enters L2. Every exit L0 takes in between is
 * L1 handling R, so it is charged to R: its VMREADs and VMWRITEs (which exit while
 * L0 emulates them), the VMRESUME that ends it, and whatever else L1 does (its own
 * device I/O, say). An episode that never ends (L1 stopped, the run is over) is not
 * a round trip: it is counted as unfinished and left out of every other figure.
 * Exits of L2 that L0 handles itself (EPT02 fills, its own timer) are no episode,
 * nor is an entry of L2 that fails and reaches L1 as its VM entry's failure (no
 * exit of L2 took place; hv.exits does not count it either).
 *
 * Pure bookkeeping on numbers the exit path hands over (no VMX instruction), so it
 * is host-tested (tests/unit/test_account.c); run.c and exit12.c call it, stats.c
 * prints it as the hv.nested records. */
#ifndef NB_ACCOUNT_H
#define NB_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include "exit_reasons.h"

#define ACCOUNT_REASONS (EXIT_REASON_MAX + 1)  /* the last slot: unknown reasons */

/* The sums an episode adds to: kept apart so that an episode's start can note them
 * in one copy (below). */
struct account_sums {
	uint64_t l0_exits;   /* every exit L0 took in them, the reflected one included */
	uint64_t vmreads, vmwrites, vmresumes, other;
	uint64_t l0_ticks;   /* L0's handler time over those exits */
	uint64_t l1_ticks;   /* L1's time: entering L1 with R to its VMRESUME, less L0's */
};

/* The episodes of one reason R of L2's exits, and the exits of L2 with that
 * reason that L0 kept. l0_exits == reflected + vmreads + vmwrites + vmresumes +
 * other always; ticks are TSC ticks. */
struct account_stat {
	uint64_t l2_exits;   /* episodes: round trips of L2 through L1 */
	uint64_t reflected;
	union {
		struct account_sums sums;
		struct {
			uint64_t l0_exits, vmreads, vmwrites, vmresumes, other, l0_ticks, l1_ticks;
		};
	};
	uint64_t others[ACCOUNT_REASONS];  /* `other` by L0 exit reason */
	uint64_t l0_only;    /* exits of L2 with this reason that L0 handled itself */
	uint64_t unfinished; /* episodes L1 never ended (the run ended in them) */
};

/* Each exit adds to its episode's reason's sums at once, on the path of every exit;
 * the episode itself keeps only what takes an episode L1 never ended back out at
 * the end of the run: the sums when it started, and its other exits by reason
 * (a slot counts for the episode whose number it is stamped with). */
struct account {
	bool open;       /* an episode is under way: L1 runs for L2 */
	bool reflecting; /* the exit being handled goes to L1 (account_reflect) */
	unsigned reason; /* ... as this reason */
	unsigned ep_reason;
	uint64_t l1_since;   /* when L0 last gave the CPU back to L1 */
	uint64_t episode;    /* the episode's number, from 1 */
	struct account_sums at_start;
	uint64_t ep_others[ACCOUNT_REASONS], ep_stamp[ACCOUNT_REASONS];
	struct account_stat stat[ACCOUNT_REASONS];
};

/* L0's own account (stats.c prints it). */
extern struct account nested_account;

/* The exit of L2 being handled is reflected to L1 with basic exit reason `reason`
 * (exit12.c): the exit that starts an episode, once account_exit sees it.
 * ACCOUNT_OWN_REASON: the exit's own reason, as the processor gave it to L0 (an exit
 * reflected as it is, whose reason the reflection need not read). */
#define ACCOUNT_OWN_REASON (~0u)
static inline void account_reflect(struct account *a, unsigned reason)
{
	a->reflecting = true;
	a->reason = reason == ACCOUNT_OWN_REASON || reason < EXIT_REASON_MAX ? reason
									 : EXIT_REASON_MAX;
}

/* The bookkeeping below is inline: it runs at every exit of L2 and of L1 in an
 * episode, and a call costs as much as its few adds. */

/* The reflected exit of L2 (reason as the processor gave it to L0), handled by L0
 * from t0 to t1: L1 runs from t1. */
static inline void account_episode_start(struct account *a, unsigned reason, uint64_t t0,
					 uint64_t t1)
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
static inline void account_episode_exit(struct account *a, unsigned reason, uint64_t t0,
					uint64_t t1)
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

/* Accounts one exit L0 handled, from L2 (from_l2) or L1, with L0 exit reason
 * `reason` (basic, at most EXIT_REASON_MAX), handled from t0 to t1; l2_runs says
 * whether the handler left L2 to run next (an entry of L2 ends the episode). An
 * exit of L1 outside an episode is charged to nothing. run.c calls it only for
 * the exits that can count (of L2, of L1 in an episode), choosing by the exit
 * function, so that an exit of L1 in a guest that is no hypervisor pays nothing. */
static inline void account_exit(struct account *a, bool from_l2, unsigned reason, bool l2_runs,
				uint64_t t0, uint64_t t1)
{
	if (!from_l2 && !a->open)
		return;
	if (reason > EXIT_REASON_MAX)
		reason = EXIT_REASON_MAX;
	if (from_l2) {
		if (a->reflecting)
			account_episode_start(a, reason, t0, t1);
		else
			a->stat[reason].l0_only++;
		return;
	}
	account_episode_exit(a, reason, t0, t1);
	if (l2_runs) {
		a->stat[a->ep_reason].l2_exits++;
		a->stat[a->ep_reason].reflected++;
		a->open = false;
	}
}

/* The run is over: an episode still under way is counted as unfinished. */
void account_finish(struct account *a);

#endif
