/* framework.c - the measuring method shared by every case (see bench.h).
 *
 * Per case and variant: a warm-up; the iteration count doubled until one timed loop
 * lasts `goal` ticks (as kvm-unit-tests' vmexit.c does, with a goal sized to the
 * platform); then `reps` repetitions, each timing the operation's loop and the
 * identical control loop and keeping the difference per operation (HyperBench's
 * subtraction). The record gives median, min, max and p90 of those differences, in
 * hundredths of a tick printed as decimals: records carry no floating point. */
#include "bench.h"
#include "out.h"

#define MAX_REPS BENCH_MAX_REPS
#define MAX_ITERS (1ULL << 40)

extern const struct bench_case *const __start_nb_table_bench[], *const __stop_nb_table_bench[];

uint64_t bench_tsc_begin(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return lo | (uint64_t)hi << 32;
}

uint64_t bench_tsc_end(void)
{
	uint32_t lo, hi;

	asm volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi) : : "rcx", "memory");
	return lo | (uint64_t)hi << 32;
}

static uint64_t timed(void (*fn)(void *, uint64_t), void *state, uint64_t n)
{
	uint64_t t0 = bench_tsc_begin();

	fn(state, n);
	return bench_tsc_end() - t0;
}

/* Shell-style match with '*' only: enough for "tlb.*" and "*.cpuid". */
static bool match(const char *pat, size_t plen, const char *s)
{
	if (!plen)
		return !*s;
	if (*pat == '*')
		return match(pat + 1, plen - 1, s) || (*s && match(pat, plen, s + 1));
	return *s && *pat == *s && match(pat + 1, plen - 1, s + 1);
}

/* The next pattern of a comma-separated selection: its start, its length in *len, and
 * *s moved past it. NULL when the list is done. */
static const char *next_pattern(const char **s, size_t *len)
{
	const char *p = *s, *c = p;

	if (!p || !*p)
		return NULL;
	while (*c && *c != ',')
		c++;
	*len = (size_t)(c - p);
	*s = *c ? c + 1 : c;
	return p;
}

/* Whether name matches one of the comma-separated patterns; an empty selection is "*". */
static bool selected(const char *sel, const char *name)
{
	const char *p;
	size_t len;

	if (!sel || !*sel)
		return true;
	while ((p = next_pattern(&sel, &len)))
		if (match(p, len, name))
			return true;
	return false;
}

static void sort(int64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* (t - u) * scale / div, signed: an operation loop minus its control, per operation. */
static int64_t per_op(uint64_t t, uint64_t u, uint64_t scale, uint64_t div)
{
	return t >= u ? (int64_t)((t - u) * scale / div) : -(int64_t)((u - t) * scale / div);
}

/* Hundredths as a decimal: "-3.25". */
static const char *centi(int64_t c, char *buf, size_t n)
{
	uint64_t a = c < 0 ? (uint64_t)-c : (uint64_t)c;

	snprintf(buf, n, "%s%llu.%02llu", c < 0 ? "-" : "", (unsigned long long)(a / 100),
		 (unsigned long long)(a % 100));
	return buf;
}

/* Thousandths as a decimal: "1.612". */
static const char *milli(int64_t m, char *buf, size_t n)
{
	snprintf(buf, n, "%llu.%03llu", (unsigned long long)(m / 1000),
		 (unsigned long long)(m % 1000));
	return buf;
}

/* Spaces separate record fields, so params words are joined with ',' in the record. */
static void join_words(char *s)
{
	for (; *s; s++)
		if (*s == ' ')
			*s = ',';
}

/* A free-text reason as one record value: spaces become '_'. */
static const char *one_word(const char *text, char *buf, size_t n)
{
	size_t i;

	for (i = 0; text && text[i] && i < n - 1; i++)
		buf[i] = text[i] == ' ' ? '_' : text[i];
	buf[i] = 0;
	return i ? buf : "unknown";
}

/* Counts one loop of the operation and one of the control; per operation, run minus
 * control, as " pmcI=V pmcI_event=NAME" words. Without working counters, one
 * "counters=unsupported" word says why. */
static void count_events(const struct bench_env *env, const struct bench_case *c, void *state,
			 uint64_t n, char *buf, size_t size)
{
	const struct bench_counters *k = env->counters;
	uint64_t run[BENCH_MAX_COUNTERS], ctl[BENCH_MAX_COUNTERS];
	char v[24], why[96];
	size_t len = 0;

	if (!k || !k->n)
		return;
	if (k->unsupported) {
		snprintf(buf, size, " counters=unsupported counters_reason=%s",
			 one_word(k->unsupported, why, sizeof(why)));
		return;
	}
	k->start();
	c->run(state, n);
	k->stop(run);
	k->start();
	c->control(state, n);
	k->stop(ctl);
	for (unsigned i = 0; i < k->n && len < size; i++) {
		int64_t d = per_op(run[i], ctl[i], 100, n);
		len += (size_t)snprintf(buf + len, size - len, " pmc%u=%s pmc%u_event=%s", i,
					centi(d, v, sizeof(v)), i, k->names[i]);
	}
}

/* The words every record starts with; units is "" or the unit (and clock) words
 * with a trailing space, so all three kinds of record keep one key order. */
static void record_head(const struct bench_env *env, const struct bench_case *c,
			const char *params, const char *units, const char *context)
{
	printf("@nb v=1 case=%s params=%s metric=%s %splatform=%s level=%d %s", c->name,
	       *params ? params : "-", c->metric, units, env->platform, env->level, context);
}

/* On a shared host, other tenants load the cores behind our CPUs - their TLBs and
 * caches - in bursts of a second to minutes, and only one CPU at a time as often as
 * not. Seen on this project's 2-vCPU cloud VM: the 4K-page, 16 MiB TLB penalty
 * measured 8 cycles on one vCPU and 20-26 on the other at the same moment, and which
 * one was loaded changed from minute to minute, often in the middle of a variant.
 * A burst only ever adds time. So a repetition times env->best_of pairs of loops on
 * each CPU the environment offers (one pair on one CPU where it offers no choice) and
 * keeps the pair that ran fastest, i.e. was least disturbed; the record says how many
 * pairs each repetition chose from. Before each CPU's pairs, a short loop warms that
 * CPU's TLB and caches, and a case with several memory layouts moves to the next. */
#define MAX_CPUS 64
static unsigned cpus_to_try(const struct bench_env *env)
{
	if (!env->move_to_cpu || env->cpus < 2)
		return 1;
	return env->cpus < MAX_CPUS ? env->cpus : MAX_CPUS;
}

/* The TSC ticks at a fixed rate, the core at whatever clock the package grants it:
 * on this project's cloud VM, 0.57-0.65 ticks per core cycle, differing between the
 * two vCPUs and drifting over seconds with others' load. So every latency in ticks
 * moves with the clock, by as much as the figures being compared. Where the clock is
 * the TSC, each pair is therefore bracketed by CAL_ADDS dependent ADDs - one core
 * cycle each on every x86 core - and the record also gives the penalty in core
 * cycles. The shorter bracket is kept: an interrupt only ever lengthens one. */
#define CAL_ADDS (1u << 18)
static uint64_t calibration_ticks(void)
{
	uint64_t x = 0, n = CAL_ADDS / 4, t0 = bench_tsc_begin();

	asm volatile("1: add $1, %0; add $1, %0; add $1, %0; add $1, %0; dec %1; jnz 1b"
		     : "+r"(x), "+r"(n));
	return bench_tsc_end() - t0;
}

/* One repetition's result: per operation in hundredths of a tick and, where
 * calibrated (milli != 0), of a core cycle; milli is core cycles per 1000 ticks. */
struct rep {
	int64_t per, core;
	uint64_t milli;
};

static struct rep repetition(const struct bench_env *env, const struct bench_case *c,
			     void *state, uint64_t n)
{
	unsigned cpus = cpus_to_try(env), tries = env->best_of ? env->best_of : 1;
	bool calibrate = !strcmp(env->clock, "tsc");
	uint64_t best = UINT64_MAX;
	struct rep rep = { 0, 0, 0 };

	if (c->next_layout)
		c->next_layout(state);
	for (unsigned i = 0; i < cpus; i++) {
		if (cpus > 1 && env->move_to_cpu(i) < 0)
			continue;
		if (cpus > 1 || c->next_layout) {
			c->run(state, n / 16 + 1);
			c->control(state, n / 16 + 1);
		}
		for (unsigned k = 0; k < tries; k++) {
			uint64_t before = calibrate ? calibration_ticks() : 0;
			uint64_t t = timed(c->run, state, n), u = timed(c->control, state, n);
			uint64_t after = calibrate ? calibration_ticks() : 0;
			uint64_t cal = before < after ? before : after;
			if (t + u >= best)
				continue;
			best = t + u;
			rep.per = per_op(t, u, 100, n);
			if (cal) { /* ticks * CAL_ADDS / cal = core cycles */
				rep.core = per_op(t, u, 100 * CAL_ADDS, n * cal);
				rep.milli = CAL_ADDS * 1000ULL / cal;
			}
		}
	}
	return rep;
}

/* One timed variant's repetitions, gathered over the rounds (bench_main). */
struct series {
	uint64_t n;           /* iterations per timed loop, found in round 0 */
	unsigned count;       /* repetitions so far */
	bool dead;            /* unsupported in some round: reported once, then skipped */
	int64_t per[MAX_REPS];
	int64_t core[MAX_REPS];  /* in core cycles, where calibrated (repetition) */
	int64_t milli[MAX_REPS]; /* core cycles per 1000 ticks; 0: not calibrated */
};
#define MAX_SERIES 128
static struct series series[MAX_SERIES + 1];

/* This round's share of the repetitions: those r with r % rounds == round. Round 0
 * first doubles the iteration count until one loop of the operation lasts goal. */
static void measure_round(const struct bench_env *env, const struct bench_case *c, void *state,
			  uint64_t goal, unsigned reps, unsigned round, unsigned rounds,
			  struct series *s)
{
	c->run(state, 16); /* warm-up: code, data and TLB entries in place */
	c->control(state, 16);
	if (round == 0) {
		s->count = 0;
		for (s->n = 1; s->n < MAX_ITERS && timed(c->run, state, s->n) < goal; s->n *= 2)
			;
	}
	for (unsigned r = round; r < reps; r += rounds) {
		struct rep one = repetition(env, c, state, s->n);
		s->per[s->count] = one.per;
		s->core[s->count] = one.core;
		s->milli[s->count++] = (int64_t)one.milli;
	}
}

/* Sorts v and writes " {prefix}median=.. {prefix}min=.. {prefix}max=.. {prefix}p90=.."
 * into buf: the record's statistics, in hundredths. */
static void statistics(char *buf, size_t n, const char *prefix, int64_t *v, unsigned reps)
{
	char a[24], b[24], d[24], e[24];

	sort(v, reps);
	snprintf(buf, n, " %smedian=%s %smin=%s %smax=%s %sp90=%s", prefix,
		 centi(v[reps / 2], a, sizeof(a)), prefix, centi(v[0], b, sizeof(b)), prefix,
		 centi(v[reps - 1], d, sizeof(d)), prefix, centi(v[(reps * 9) / 10], e, sizeof(e)));
}

static void report(const struct bench_env *env, const struct bench_case *c, void *state,
		   const char *params, struct series *s, const char *context)
{
	char ticks[128], core[160] = "", ratio[24], extra[256] = "", events[384] = "", units[48];
	char chose[32] = "";
	unsigned pairs = cpus_to_try(env) * (env->best_of ? env->best_of : 1), reps = s->count;

	if (pairs > 1)
		snprintf(chose, sizeof(chose), " best_of=%u cpus=%u", pairs, cpus_to_try(env));
	statistics(ticks, sizeof(ticks), "", s->per, reps);
	sort(s->milli, reps);
	if (s->milli[0]) { /* calibrated: the same statistics in core cycles (repetition) */
		size_t len;
		statistics(core, sizeof(core), "core_", s->core, reps);
		len = strlen(core);
		snprintf(core + len, sizeof(core) - len, " core_per_tick=%s",
			 milli(s->milli[reps / 2], ratio, sizeof(ratio)));
	}
	if (c->extra)
		c->extra(state, env, extra, sizeof(extra));
	count_events(env, c, state, s->n, events, sizeof(events));
	snprintf(units, sizeof(units), "unit=ticks clock=%s ", env->clock);
	record_head(env, c, params, units, context);
	printf(" iterations=%llu repetitions=%u%s%s%s%s%s%s\n", (unsigned long long)s->n, reps,
	       ticks, core, *extra ? " " : "", extra, events, chose);
}

static void unsupported(const struct bench_env *env, const struct bench_case *c,
			const char *params, const char *why, const char *context)
{
	char reason[96];

	record_head(env, c, params, "", context);
	printf(" status=unsupported reason=%s\n", one_word(why, reason, sizeof(reason)));
}

/* Round `round` of `rounds` of case c: each timed variant is set up afresh, gets its
 * share of the repetitions into its series (*slot counts variants across cases), and
 * is reported in the last round. Unsupported variants and counts are reported in
 * round 0 only. */
static void run_case(const struct bench_env *env, const struct bench_case *c, uint64_t goal,
		     unsigned reps, unsigned round, unsigned rounds, const char *context,
		     unsigned *slot)
{
	bool first = round == 0;

	if ((c->needs & BENCH_NEEDS_RING0) && !env->ring0) {
		if (first)
			unsupported(env, c, "", "needs ring 0 (privileged instructions)", context);
		return;
	}
	if ((c->needs & BENCH_NEEDS_NESTBENCH) && !env->nb_hypervisor) {
		if (first)
			unsupported(env, c, "", "needs a nestbench hypervisor below", context);
		return;
	}
	if (c->count && !first)
		return;
	for (unsigned variant = 0;; variant++) {
		void *state = NULL;
		const char *why = NULL;
		char params[128] = "";
		/* Past MAX_SERIES, a variant is measured whole in round 0 (the spare), and
		 * so is every variant after it, of this case and the later ones: slots
		 * only grow. Counts take no slot, as they run in round 0 only. */
		unsigned my = c->count ? MAX_SERIES : (*slot)++;
		struct series *s = &series[my < MAX_SERIES ? my : MAX_SERIES];
		unsigned spread = my < MAX_SERIES ? rounds : 1;
		if (first)
			s->dead = false;
		else if (my >= MAX_SERIES)
			return;
		/* Reported unsupported: round 0 saw it, so it is not the end. */
		if (s->dead) {
			if (!c->setup)
				return;
			continue;
		}
		int r = c->setup ? c->setup(env, variant, &state, params, sizeof(params), &why)
				 : (variant ? BENCH_DONE : BENCH_OK);
		join_words(params);
		if (r == BENCH_DONE)
			return;
		if (r == BENCH_UNSUPPORTED) {
			/* Once, even if only a later round could not set it up. */
			unsupported(env, c, params, why, context);
			s->dead = true;
		} else if (c->count) {
			char result[256] = "", units[48];
			c->count(state, env, result, sizeof(result));
			/* A count has no clock of its own; the platform's clock still says
			 * which timings it belongs beside. */
			snprintf(units, sizeof(units), "unit=refs clock=%s ", env->clock);
			record_head(env, c, params, units, context);
			printf(" %s\n", result);
		} else {
			if (first)
				printf("bench: %s %s\n", c->name, params);
			measure_round(env, c, state, goal, reps, round, spread, s);
			if (round + 1 == spread)
				report(env, c, state, params, s, context);
		}
		if (r == BENCH_OK && c->teardown)
			c->teardown(state);
		if (!c->setup)
			return;
	}
}

int bench_main(const struct bench_env *env, const char *sel, uint64_t goal, unsigned reps,
	       const char *context)
{
	const struct bench_case *const *p;

	if (reps < 1 || reps > MAX_REPS) {
		printf("bench: reps must be 1..%d\n", MAX_REPS);
		return -1;
	}
	/* Every pattern must name something: a typo must not silently measure nothing. */
	const char *rest = sel, *pat;
	size_t len;
	while ((pat = next_pattern(&rest, &len))) {
		bool any = false;
		for (p = __start_nb_table_bench; p < __stop_nb_table_bench; p++)
			any |= match(pat, len, (*p)->name);
		if (!any) {
			printf("bench: error: '%.*s' matches no case; the cases are:", (int)len, pat);
			for (p = __start_nb_table_bench; p < __stop_nb_table_bench; p++)
				printf(" %s", (*p)->name);
			printf("\n");
			return -1;
		}
	}
	/* Spread each variant's repetitions over the run (bench.h, rounds). */
	unsigned rounds = env->rounds < 1 ? 1 : env->rounds > reps ? reps : env->rounds;
	for (unsigned round = 0; round < rounds; round++) {
		unsigned slot = 0;
		if (rounds > 1)
			printf("bench: round %u of %u\n", round + 1, rounds);
		for (p = __start_nb_table_bench; p < __stop_nb_table_bench; p++)
			if (selected(sel, (*p)->name))
				run_case(env, *p, goal, reps, round, rounds, context, &slot);
	}
	return 0;
}
