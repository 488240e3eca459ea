/* bench.c - the native runner: the microbench cases (microbench/) as a Linux process.
 * Same cases, same framework, same records as the bench guest; what differs is the
 * environment: user mode (cases needing ring 0 say unsupported), memory at fixed
 * addresses with the asked page size (native_mem.c), the CPUs this process may move
 * between to dodge other tenants' load, and the level the CPU reports (a cloud VM is
 * level 1). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "level.h"
#include "native_mem.h"
#include "native_paging.h"
#include "perf_counters.h"
#include "version.h"

/* The largest --goal: about 20 s per timed loop at 3 GHz. Beyond it a run does not end
 * in any useful time, and 2^64 - 1 would overflow the framework's doubling. */
#define MAX_GOAL (1ULL << 36)
#define MAX_BEST_OF 64

static void usage(FILE *f)
{
	fprintf(f, "Usage: bench [--bench=PATTERNS] [--goal=TICKS] [--reps=N] [--best-of=K]\n"
		   "             [--rounds=N] [--cpu=N] [--events=NAMES]\n"
		   "Runs the microbenchmark cases natively and prints one @nb record per case.\n"
		   "  --bench=PATTERNS  comma-separated case names, '*' wildcards (default: all)\n"
		   "  --goal=TICKS      TSC ticks one timed loop should last, 1..%llu (default 2^24)\n"
		   "  --reps=N          repetitions per case, 1..%d (default 11)\n"
		   "  --best-of=K       each repetition times K pairs of loops on every CPU this\n"
		   "                    process may use and keeps the fastest, i.e. the least\n"
		   "                    disturbed by other tenants, 1..%d (default 4; 1: every pair)\n"
		   "  --rounds=N        spread each variant's repetitions over N passes over all\n"
		   "                    cases, so a burst of others' load touches a few\n"
		   "                    repetitions of many variants, 1..%d (default: reps; 1: none)\n"
		   "  --cpu=N           stay on CPU N instead of trying every allowed CPU, 0..%d\n"
		   "  --events=NAMES    comma-separated libpfm4 event names to count (perf_event_open),\n"
		   "                    e.g. skl::DTLB_LOAD_MISSES:WALK_COMPLETED; at most 8\n"
		   "Exit status: 0 done; 2 a bad argument (out of range, not a number, an unknown\n"
		   "case) or a CPU it may not run on.\n",
		MAX_GOAL, BENCH_MAX_REPS, MAX_BEST_OF, BENCH_MAX_REPS, CPU_SETSIZE - 1);
}

/* num_option(arg, "--reps=", lo, hi, &v): false when arg is not this option; exits 2
 * when its value is not a plain decimal number in lo..hi. strtoull alone would take
 * "-5" as 2^64 - 5 and "1x" as 1. */
static bool num_option(const char *arg, const char *name, unsigned long long lo,
		       unsigned long long hi, unsigned long long *v)
{
	size_t n = strlen(name);
	const char *s = arg + n;
	char *end;

	if (strncmp(arg, name, n))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno == ERANGE || *v < lo || *v > hi) {
		fprintf(stderr, "bench: %.*s takes a number from %llu to %llu, not '%s'\n",
			(int)n - 1, name, lo, hi, s);
		exit(2);
	}
	return true;
}

/* The CPUs this process may run on (its affinity when it started), for the framework
 * to choose among (bench.h, move_to_cpu). */
static int cpu_list[CPU_SETSIZE];
static unsigned ncpus;

static int pin(int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) ? -1 : cpu;
}

static int move_to_cpu(unsigned i)
{
	return i < ncpus ? pin(cpu_list[i]) : -1;
}

int main(int argc, char **argv)
{
	const char *sel = "";
	const struct bench_counters *env_counters = NULL;
	unsigned long long goal = 1ULL << 24, reps = 11, best_of = 4, rounds = 0, cpu_arg;
	int fixed_cpu = -1;
	struct level_info below;
	char cpu[64], context[256];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strncmp(argv[i], "--events=", 9)) {
			env_counters = perf_counters_open(argv[i] + 9);
		} else if (!strncmp(argv[i], "--bench=", 8)) {
			sel = argv[i] + 8;
		} else if (num_option(argv[i], "--goal=", 1, MAX_GOAL, &goal) ||
			   num_option(argv[i], "--reps=", 1, BENCH_MAX_REPS, &reps) ||
			   num_option(argv[i], "--best-of=", 1, MAX_BEST_OF, &best_of) ||
			   num_option(argv[i], "--rounds=", 1, BENCH_MAX_REPS, &rounds)) {
		} else if (num_option(argv[i], "--cpu=", 0, CPU_SETSIZE - 1, &cpu_arg)) {
			fixed_cpu = (int)cpu_arg;
		} else {
			fprintf(stderr, "bench: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	/* Stay on one CPU at a time: a migration in the middle of a loop moves it to
	 * another TLB and cache. */
	cpu_set_t allowed;
	if (!sched_getaffinity(0, sizeof(allowed), &allowed))
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &allowed))
				cpu_list[ncpus++] = c;
	if (fixed_cpu >= 0 && pin(fixed_cpu) < 0) {
		fprintf(stderr, "bench: cannot run on CPU %d: %s\n", fixed_cpu, strerror(errno));
		return 2;
	}
	if (fixed_cpu < 0 && pin(sched_getcpu() < 0 ? 0 : sched_getcpu()) < 0)
		fprintf(stderr, "bench: warning: cannot pin to one CPU: %s\n", strerror(errno));
	level_detect(&below);
	cpu_identity(cpu, sizeof(cpu));
	snprintf(context, sizeof(context), "hv=%s cpu=%s git=%s",
		 below.level ? below.vendor : "none", cpu, NB_GIT);
	struct bench_env env = {
		.platform = "native", .level = below.level, .clock = "tsc", .ring0 = false,
		.nb_hypervisor = below.nestbench, .emulator = below.emulator,
		.alloc = native_alloc, .free = native_free, .paging = native_paging(),
		.counters = env_counters, .best_of = (unsigned)best_of,
		.cpus = fixed_cpu < 0 ? ncpus : 0, .rounds = (unsigned)(rounds ? rounds : reps),
		.move_to_cpu = move_to_cpu,
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench: native, level %d, clock tsc, goal %llu ticks, %llu repetitions in %u "
	       "rounds, each the best of %llu pairs on %u CPU(s)\n", env.level, goal, reps,
	       env.rounds < reps ? env.rounds : (unsigned)reps, best_of, env.cpus > 1 ? env.cpus : 1);
	return bench_main(&env, sel, goal, (unsigned)reps, context) ? 2 : 0;
}
