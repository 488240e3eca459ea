/* main.c - the bench guest: runs the microbench cases (microbench/) as a kernel, bare
 * or at any level under a hypervisor, and prints their records.
 *
 * Command line: bench=PATTERNS (comma-separated, '*' wildcards; default all)
 *               goal=TICKS (one timed loop's length; default 2^20 under Bochs, whose
 *               ticks are emulated instructions, 2^24 elsewhere) reps=N (default 7)
 *               events=0xCODE@NAME,... (hardware counters, encoded on the host by
 *               build/host/pfmenc; at most 8, and no more than the PMU has)
 *               hvconfig=... (passed down by a nestbench hypervisor) */
#include "bench.h"
#include "bench_guest.h"
#include "cmdline.h"
#include "cpu.h"
#include "exit.h"
#include "hypercall.h"
#include "kernel.h"
#include "level.h"
#include "printf.h"
#include "string.h"
#include "version.h"

static int guest_rdmsr_safe(uint32_t msr, uint64_t *val)
{
	return rdmsr_safe(msr, val);
}

static void guest_raise_ud(void)
{
	ud2_safe();
}

/* The nestbench hypervisor's count of our exits (HC_EXITS), no one reason asked. */
static uint64_t guest_exits(void)
{
	return (uint64_t)hypercall(HC_EXITS, ~0UL, 0, 0);
}

/* Whether the hypervisor below answers HC_EXITS: one that does not (an older one,
 * HC_ENOSYS) gets no exits= in the records rather than differences of error codes. */
static bool exits_counted(const struct level_info *below)
{
	return below->nestbench && hypercall(HC_EXITS, ~0UL, 0, 0) >= 0;
}

int main(void)
{
	static const char *const keys[] = { "bench", "goal", "reps", "events", "hvconfig", NULL };
	static char sel[512], hvconfig[128], cpu[64], context[320];
	struct level_info below;
	uint64_t goal, reps = 7;

	boot_check_args(keys);
	level_detect(&below);
	struct bench_env env = {
		.platform = boot_platform(), .level = below.level, .clock = boot_clock(),
		.ring0 = true, .nb_hypervisor = below.nestbench, .emulator = below.emulator,
		.alloc = guest_alloc, .free = guest_free, .phys = guest_phys,
		.rdmsr_safe = guest_rdmsr_safe, .walk = guest_walk, .raise_ud = guest_raise_ud,
		.exits = exits_counted(&below) ? guest_exits : NULL, .paging = guest_paging(),
	};
	int bad;
	env.counters = guest_counters(boot.cmdline, &bad);
	if (bad) {
		printf("bench: error: events= takes at most %d of 0xCODE@NAME,... "
		       "(see build/host/pfmenc)\n", BENCH_MAX_COUNTERS);
		return EXIT_BADARGS;
	}
	goal = strcmp(env.clock, "instructions") ? 1ULL << 24 : 1ULL << 20;
	if (cmdline_get_u64(boot.cmdline, "goal", &goal) == -2 || !goal ||
	    cmdline_get_u64(boot.cmdline, "reps", &reps) == -2) {
		printf("bench: error: goal=TICKS and reps=N take positive numbers\n");
		return EXIT_BADARGS;
	}
	if (cmdline_has(boot.cmdline, "bench") &&
	    cmdline_get(boot.cmdline, "bench", sel, sizeof(sel)) < 0) {
		printf("bench: error: bench= is longer than %zu characters\n", sizeof(sel) - 1);
		return EXIT_BADARGS;
	}
	if (cmdline_get(boot.cmdline, "hvconfig", hvconfig, sizeof(hvconfig)) < 0)
		strlcpy(hvconfig, below.level ? (below.nestbench ? "unknown" : below.vendor) : "none",
			sizeof(hvconfig));
	cpu_identity(cpu, sizeof(cpu));
	snprintf(context, sizeof(context), "hv=%s cpu=%s git=%s", hvconfig, cpu, NB_GIT);
	printf("bench: %s, level %d, clock %s, goal %lu ticks, %lu repetitions\n", env.platform,
	       env.level, env.clock, goal, reps);
	return bench_main(&env, sel, goal, (unsigned)reps, context) ? EXIT_BADARGS : EXIT_OK;
}
