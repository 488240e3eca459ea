/* stats.c - exit statistics, printed at the end as records in the nestbench format
 * (one "@nb v=1 key=value ..." line each) and as a table for people.
 * tsc is the TSC time spent in the hypervisor's handler, from just after the exit to
 * just before the next entry; under Bochs the TSC counts emulated instructions.
 * Exits are counted by the level they came from (L1, our guest; L2, its guest):
 * the records say it as from_level=, in the records' own vocabulary - the level=
 * the code that exited would print - so hv_level + 1 for L1 and + 2 for L2. */
#include "exits.h"
#include "kernel.h"
#include "level.h"
#include "printf.h"
#include "version.h"

struct exit_stat exit_stats[LEVELS][EXIT_REASON_MAX + 1];

/* One level's lines and records; returns its exits. */
static uint64_t print_level(enum vcpu_level level, const char *cpu)
{
	uint64_t total = 0;

	for (unsigned r = 0; r <= EXIT_REASON_MAX; r++) {
		const struct exit_stat *s = &exit_stats[level][r];
		if (!s->count)
			continue;
		total += s->count;
		/* Per-exit figures as fixed-point with two decimals: records carry no floats. */
		printf("hv:   %-20s %2s %10lu %12lu %6lu.%02lu %6lu.%02lu\n", exit_reason_name(r),
		       level == LEVEL_L2 ? "L2" : "L1", s->count, s->tsc / s->count,
		       s->vmreads / s->count, s->vmreads * 100 / s->count % 100,
		       s->vmwrites / s->count, s->vmwrites * 100 / s->count % 100);
		printf("@nb v=1 case=hv.exits reason=%s platform=%s level=%d hv=%s cpu=%s git=%s "
		       "clock=%s count=%lu ticks=%lu vmreads=%lu vmwrites=%lu from_level=%d\n",
		       exit_reason_name(r), boot_platform(), hv_level, cfg_desc, cpu, NB_GIT,
		       boot_clock(), s->count, s->tsc, s->vmreads, s->vmwrites,
		       hv_level + 1 + (int)level);
	}
	return total;
}

void stats_print(void)
{
	uint64_t total = 0;
	char cpu[64];

	cpu_identity(cpu, sizeof(cpu));

	printf("hv: exits by reason and level of origin (handler time in %s):\n", boot_clock());
	printf("hv:   %-20s %2s %10s %12s %9s %9s\n", "reason", "from", "count", "mean ticks",
	       "vmreads", "vmwrites");
	for (enum vcpu_level l = LEVEL_L1; l < LEVELS; l++)
		total += print_level(l, cpu);
	printf("hv:   %-20s %10lu\n", "total", total);
	if (io_unclaimed)
		printf("hv: %lu accesses to unclaimed I/O ports (last: %#lx) read as all ones "
		       "or were dropped\n", io_unclaimed, io_unclaimed_last_port);
	printf("@nb v=1 case=hv.io platform=%s level=%d hv=%s cpu=%s git=%s unclaimed_ports=%lu\n",
	       boot_platform(), hv_level, cfg_desc, cpu, NB_GIT, io_unclaimed);
}
