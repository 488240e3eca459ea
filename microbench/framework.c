/* framework.c - the measuring method shared by every case (see bench.h).
 *
 * Per case and variant: a warm-up; the iteration count doubled until one timed loop
 * lasts `goal` ticks (as kvm-unit-tests' vmexit.c does, with a goal sized to the
 * platform); then `reps` repetitions, each timing the operation's loop and the
 * identical control loop and keeping the difference per operation (HyperBench's
 * subtraction). The record gives median, min, max and p90 of those differences, in
 * hundredths of a tick printed as decimals: records carry no floating point. */
#include "bench.h"
#include "cpu.h"
#include "out.h"
#include "record_value.h"

#define MAX_REPS BENCH_MAX_REPS
#define MAX_ITERS (1ULL << 40)

extern const struct bench_case *const __start_nb_table_bench[], *const __stop_nb_table_bench[];

/* LFENCE waits until every earlier instruction has completed locally and starts no
 * later one before it has (SDM Vol. 2A, LFENCE), so LFENCE;RDTSC;LFENCE reads the TSC
 * between the code before and the code after. RDTSCP waits for the earlier ones
 * itself, but where CPUID does not advertise it nothing promises it runs (QEMU's
 * qemu64 model raises #UD; a /dev/kvm that emulates its guests can stop with an
 * emulation failure); the fenced RDTSC ends a loop just as well. */
static inline __attribute__((always_inline)) uint64_t fenced_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return lo | (uint64_t)hi << 32;
}

static inline __attribute__((always_inline)) uint64_t rdtscp_lfence(void)
{
	uint32_t lo, hi;

	asm volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi) : : "rcx", "memory");
	return lo | (uint64_t)hi << 32;
}

static uint64_t begin_fenced(void) { return fenced_rdtsc(); }
static uint64_t end_rdtscp(void) { return rdtscp_lfence(); }
static const struct bench_timer timer_rdtscp = { "rdtscp", begin_fenced, end_rdtscp };
static const struct bench_timer timer_fenced = { "lfence_rdtsc", begin_fenced, begin_fenced };

const struct bench_timer *bench_timer_for(uint32_t cpuid_1_edx, uint32_t cpuid_80000001_edx,
					  const char **why)
{
	if (!(cpuid_1_edx & CPUID_1_EDX_TSC)) {
		*why = "the CPU has no TSC (CPUID.01H:EDX bit 4)";
		return NULL;
	}
	if (!(cpuid_1_edx & CPUID_1_EDX_SSE2)) {
		*why = "the CPU has no LFENCE (SSE2, CPUID.01H:EDX bit 26)";
		return NULL;
	}
	return cpuid_80000001_edx & CPUID_80000001_EDX_RDTSCP ? &timer_rdtscp : &timer_fenced;
}

/* The timer of this run, chosen once in bench_main (env->timer, else bench_timer_for
 * this CPU), and why nothing can be timed when that found none. bench_tsc_* are for
 * cases timing their own way, outside the hot path: a call through a pointer is no
 * matter there. */
static const struct bench_timer *timer = &timer_fenced;
static const char *cannot_time;

uint64_t bench_tsc_begin(void)
{
	return timer->begin();
}

uint64_t bench_tsc_end(void)
{
	return timer->end();
}

/* The ticks of fn(state, n). The timer is chosen once per run, so that inside the
 * timed region there is nothing but the reads and the call: a version of this
 * function per built-in timer, with the reads inlined, and the run's chosen through
 * a pointer before the region begins (timed). Another timer (env->timer) is called
 * through its pointers. */
typedef void loop_fn(void *state, uint64_t n);

static uint64_t timed_rdtscp(loop_fn *fn, void *state, uint64_t n)
{
	uint64_t t0 = fenced_rdtsc();

	fn(state, n);
	return rdtscp_lfence() - t0;
}

static uint64_t timed_fenced(loop_fn *fn, void *state, uint64_t n)
{
	uint64_t t0 = fenced_rdtsc();

	fn(state, n);
	return fenced_rdtsc() - t0;
}

static uint64_t timed_other(loop_fn *fn, void *state, uint64_t n)
{
	uint64_t t0 = timer->begin();

	fn(state, n);
	return timer->end() - t0;
}

static uint64_t (*timed)(loop_fn *fn, void *state, uint64_t n) = timed_fenced;

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

/* num/den as a decimal with 4 significant digits, truncated: "1.612", "0.0004854",
 * "2621". Scaled by 10^k until the quotient has 4 digits, so a ratio far from 1 in
 * either direction keeps its digits (whole numbers only: records carry no floating
 * point). */
static const char *ratio(uint64_t num, uint64_t den, char *buf, size_t n)
{
	uint64_t pow = 1;
	int k = 0;

	while (num / den < 1000 && k < 18 && num <= UINT64_MAX / 10) {
		num *= 10;
		pow *= 10;
		k++;
	}
	uint64_t q = num / den;
	if (k)
		snprintf(buf, n, "%llu.%0*llu", (unsigned long long)(q / pow), k,
			 (unsigned long long)(q % pow));
	else
		snprintf(buf, n, "%llu", (unsigned long long)q);
	return buf;
}

/* Spaces separate record fields, so params words are joined with ',' in the record. */
static void join_words(char *s)
{
	for (; *s; s++)
		if (*s == ' ')
			*s = ',';
}

/* A free-text reason as one record value: spaces and other characters outside the
 * value set become '_'. */
static const char *one_word(const char *text, char *buf, size_t n)
{
	size_t i;

	for (i = 0; text && text[i] && i < n - 1; i++)
		buf[i] = record_value_char(text[i]) ? text[i] : '_';
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

/* What bench_main measured of the platform at start, as record words: " tsc_end=..
 * insn_ticks=.. emulated=yes|no". */
static char platform_words[96];

/* The words every record starts with; units is "" or the unit (and clock) words
 * with a trailing space, so all three kinds of record keep one key order. */
static void record_head(const struct bench_env *env, const struct bench_case *c,
			const char *params, const char *units, const char *context)
{
	printf("@nb v=1 case=%s params=%s metric=%s %splatform=%s level=%d %s%s", c->name,
	       *params ? params : "-", c->metric, units, env->platform, env->level, context,
	       platform_words);
}

/* On a shared host, other tenants load the cores behind our CPUs - their TLBs and
 * caches - in bursts of a second to minutes, and only one CPU at a time as often as
 * not: one vCPU's TLB penalty can double while the other's stays put, and which one
 * is loaded changes from minute to minute, often in the middle of a variant.
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
 * on a shared cloud VM the ratio can differ between vCPUs and drift over seconds
 * with others' load (each record's core_per_tick is the ratio its measurement
 * found; the paper quotes the run's). So every latency in ticks
 * moves with the clock, by as much as the figures being compared. Where the clock is
 * the TSC, each pair is therefore bracketed by CAL_ADDS dependent ADDs - one core
 * cycle each on every x86 core - and the record also gives the penalty in core
 * cycles. The shorter bracket is kept: an interrupt only ever lengthens one. */
#define CAL_ADDS (1u << 18)

/* n iterations of 4 (adds4) or 8 (adds8) dependent ADDs and the loop's DEC;JNZ. */
static void adds4(void *state, uint64_t n)
{
	uint64_t x = 0;

	(void)state;
	asm volatile("1: add $1, %0; add $1, %0; add $1, %0; add $1, %0; dec %1; jnz 1b"
		     : "+r"(x), "+r"(n));
}

static void adds8(void *state, uint64_t n)
{
	uint64_t x = 0;

	(void)state;
	asm volatile("1: add $1, %0; add $1, %0; add $1, %0; add $1, %0;"
		     "   add $1, %0; add $1, %0; add $1, %0; add $1, %0; dec %1; jnz 1b"
		     : "+r"(x), "+r"(n));
}

static uint64_t calibration_ticks(void)
{
	return timed(adds4, NULL, CAL_ADDS / 4);
}

/* What one plain instruction costs on this platform, in hundredths of a tick: the
 * 8-ADD loop minus the 4-ADD loop, per extra ADD, so the loop's own instructions and
 * the TSC reads cancel (each loop's least disturbed of a few tries). On silicon a
 * dependent ADD takes one core cycle, i.e. the ticks per core cycle; where the TSC
 * counts instructions (Bochs) exactly 1.00; where every instruction is emulated in
 * software, thousands. 2^14 extra ADDs: a precise figure on silicon,
 * still well under a second where each costs thousands of ticks. */
#define INSN_ITERS (1u << 12)
#define INSN_TRIES 4
static int64_t insn_centiticks(void)
{
	uint64_t wide = UINT64_MAX, narrow = UINT64_MAX;

	adds8(NULL, INSN_ITERS); /* warm-up */
	for (unsigned i = 0; i < INSN_TRIES; i++) {
		uint64_t w = timed(adds8, NULL, INSN_ITERS), n = timed(adds4, NULL, INSN_ITERS);
		wide = w < wide ? w : wide;
		narrow = n < narrow ? n : narrow;
	}
	return per_op(wide, narrow, 100, 4 * INSN_ITERS);
}

/* Whether the "hardware" is an emulator, so that every figure is a path length
 * through software rather than a cost on a core (emulated=yes): where the clock
 * counts instructions (Bochs), where the CPU names itself an emulator (QEMU TCG,
 * whose translated code runs a plain ADD as fast as the host does), and where a plain
 * dependent ADD costs more than EMULATED_INSN_TICKS. On a real core it costs one core
 * cycle, i.e. the TSC's ticks per core cycle: near 1 where the core runs at its
 * nominal clock, and at most about 10 anywhere (a TSC of about 4 GHz over a core held at its lowest
 * clock, 400 MHz or more). A platform that emulates each instruction takes hundreds
 * to thousands (a shadow-paging /dev/kvm that emulates its guests, say). 20 lies
 * between, with a factor of two to spare on the silicon side. In hundredths. */
#define EMULATED_INSN_TICKS 2000

/* One repetition's result: per operation in hundredths of a tick and, where
 * calibrated (cal != 0), of a core cycle; cal is the ticks of CAL_ADDS ADDs, kept
 * raw, as however slow the platform the ratio must not round to nothing. exits: the
 * hypervisor's exits during the operation's loop and the control's (env->exits). */
struct rep {
	int64_t per, core;
	uint64_t cal;
	uint64_t exits_run, exits_ctl;
};

/* The exits of one timed loop, from env->exits read just before and just after it
 * (outside the timed region). Reading is a hypercall, an exit of its own: the count
 * leaves out the reading call's own exit (bench.h), so between two reads lie the
 * loop's exits and the first read's, which is taken off. An operation without exits
 * then gives 0, vmexit.cpuid exactly 1. */
static uint64_t exits_read(const struct bench_env *env)
{
	return env->exits ? env->exits() : 0;
}

static uint64_t loop_exits(const struct bench_env *env, uint64_t before, uint64_t after)
{
	return env->exits ? after - before - 1 : 0;
}

static struct rep repetition(const struct bench_env *env, const struct bench_case *c,
			     void *state, uint64_t n)
{
	unsigned cpus = cpus_to_try(env), tries = env->best_of ? env->best_of : 1;
	bool calibrate = !strcmp(env->clock, "tsc");
	uint64_t best = UINT64_MAX;
	struct rep rep = { 0, 0, 0, 0, 0 };

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
			uint64_t e0 = exits_read(env);
			uint64_t t = timed(c->run, state, n);
			uint64_t e1 = exits_read(env);
			uint64_t u = timed(c->control, state, n);
			uint64_t e2 = exits_read(env);
			uint64_t after = calibrate ? calibration_ticks() : 0;
			uint64_t cal = before < after ? before : after;
			if (t + u >= best)
				continue;
			best = t + u;
			rep.per = per_op(t, u, 100, n);
			rep.exits_run = loop_exits(env, e0, e1);
			rep.exits_ctl = loop_exits(env, e1, e2);
			if (cal) { /* ticks * CAL_ADDS / cal = core cycles */
				rep.core = per_op(t, u, 100 * CAL_ADDS, n * cal);
				rep.cal = cal;
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
	int64_t cal[MAX_REPS];   /* ticks of CAL_ADDS ADDs; 0: not calibrated */
	uint64_t exits_run, exits_ctl, exits_iters; /* summed over the repetitions */
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
		s->exits_run = s->exits_ctl = s->exits_iters = 0;
		for (s->n = 1; s->n < MAX_ITERS && timed(c->run, state, s->n) < goal; s->n *= 2)
			;
	}
	for (unsigned r = round; r < reps; r += rounds) {
		struct rep one = repetition(env, c, state, s->n);
		s->per[s->count] = one.per;
		s->core[s->count] = one.core;
		s->cal[s->count++] = (int64_t)one.cal;
		s->exits_run += one.exits_run;
		s->exits_ctl += one.exits_ctl;
		s->exits_iters += s->n;
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
	char ticks[128], core[160] = "", per_tick[48], extra[256] = "", events[384] = "", units[48];
	char chose[32] = "", exits[40] = "", v[24];
	unsigned pairs = cpus_to_try(env) * (env->best_of ? env->best_of : 1), reps = s->count;

	if (pairs > 1)
		snprintf(chose, sizeof(chose), " best_of=%u cpus=%u", pairs, cpus_to_try(env));
	statistics(ticks, sizeof(ticks), "", s->per, reps);
	sort(s->cal, reps);
	if (s->cal[0] > 0) { /* calibrated: the same statistics in core cycles (repetition) */
		size_t len;
		statistics(core, sizeof(core), "core_", s->core, reps);
		len = strlen(core);
		/* cal ascends, so the ratio's median (index reps / 2 of the ratios in
		 * ascending order) is CAL_ADDS over this cal. */
		snprintf(core + len, sizeof(core) - len, " core_per_tick=%s",
			 ratio(CAL_ADDS, (uint64_t)s->cal[(reps - 1) / 2], per_tick, sizeof(per_tick)));
	}
	/* Exits per operation, the control's taken off as the timings' are. */
	if (env->exits)
		snprintf(exits, sizeof(exits), " exits=%s",
			 centi(per_op(s->exits_run, s->exits_ctl, 100, s->exits_iters), v,
			       sizeof(v)));
	if (c->extra)
		c->extra(state, env, extra, sizeof(extra));
	count_events(env, c, state, s->n, events, sizeof(events));
	snprintf(units, sizeof(units), "unit=ticks clock=%s ", env->clock);
	record_head(env, c, params, units, context);
	printf(" iterations=%llu repetitions=%u%s%s%s%s%s%s%s\n", (unsigned long long)s->n, reps,
	       ticks, core, exits, *extra ? " " : "", extra, events, chose);
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
	if (cannot_time && !c->count) {
		if (first)
			unsupported(env, c, "", cannot_time, context);
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

/* Once per run: the timer this CPU allows (or the one the environment brings), what
 * a plain instruction costs, and from that whether the platform emulates; said on
 * the console and in every record (platform_words). */
static void measure_platform(const struct bench_env *env)
{
	char insn[24] = "-";
	bool emulated = !strcmp(env->clock, "instructions") || env->emulator;

	struct cpuid f = cpuid_if_present(1, 0), x = cpuid_if_present(0x80000001, 0);
	const struct bench_timer *t = env->timer;

	cannot_time = NULL;
	if (!t)
		t = bench_timer_for(f.d, x.d, &cannot_time);
	timer = t ? t : &timer_fenced; /* without t, never read: no case is timed */
	timed = t == &timer_rdtscp ? timed_rdtscp : t == &timer_fenced ? timed_fenced : timed_other;
	if (cannot_time) {
		printf("bench: nothing can be timed here: %s\n", cannot_time);
	} else {
		int64_t c = insn_centiticks();
		centi(c, insn, sizeof(insn));
		emulated |= c > EMULATED_INSN_TICKS;
		printf("bench: loops end with %s; a dependent ADD costs %s ticks\n", timer->name,
		       insn);
	}
	if (emulated)
		printf("bench: the CPU is emulated: the figures are not hardware costs\n");
	snprintf(platform_words, sizeof(platform_words), " tsc_end=%s insn_ticks=%s emulated=%s",
		 cannot_time ? "none" : timer->name, insn, emulated ? "yes" : "no");
}

int bench_page_setup(const struct bench_env *env, unsigned variant, void **state,
		     char *params, size_t n, const char **why)
{
	struct bench_page *pg;

	(void)params, (void)n;
	if (variant)
		return BENCH_DONE;
	if (!env->paging) {
		*why = "cannot change its own page tables here";
		return BENCH_UNSUPPORTED;
	}
	pg = env->paging->page_new(why);
	if (!pg)
		return BENCH_UNSUPPORTED;
	pg->via = pg->ops->via_pte;
	*state = pg;
	return BENCH_OK;
}

void bench_page_teardown(void *state)
{
	struct bench_page *pg = state;

	pg->ops->page_free(pg);
}

void bench_page_nothing(struct bench_page *pg)
{
	(void)pg;
	asm volatile("" ::: "memory");
}

/* op is read afresh each time, as a pointer the compiler may not see through, so that
 * the operation's loop and the control's make the same indirect call. */
void bench_page_loop(struct bench_page *pg, void (*op)(struct bench_page *), uint64_t n)
{
	void (*volatile call)(struct bench_page *) = op;

	for (; n; n--) {
		call(pg);
		bench_touch(pg);
	}
}

void bench_page_control(void *state, uint64_t n)
{
	bench_page_loop(state, bench_page_nothing, n);
}

void bench_page_extra(void *state, const struct bench_env *env, char *buf, size_t n)
{
	const struct bench_page *pg = state;

	(void)env;
	snprintf(buf, n, "via=%s", pg->via);
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
	measure_platform(env);
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
