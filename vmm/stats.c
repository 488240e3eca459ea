/* stats.c - exit statistics, printed at the end as records in the nestbench format
 * (one "@nb v=1 key=value ..." line each) and as a table for people.
 * tsc is the TSC time spent in the hypervisor's handler, from just after the exit to
 * just before the next entry; under Bochs the TSC counts emulated instructions.
 * Exits are counted by the level they came from (L1, our guest; L2, its guest):
 * the records say it as from_level=, in the records' own vocabulary - the level=
 * the code that exited would print - so hv_level + 1 for L1 and + 2 for L2. */
#include "exits.h"
#include "fmt.h"
#include "kernel.h"
#include "level.h"
#include "nested/account.h"
#include "printf.h"
#include "version.h"

struct exit_stat exit_stats[LEVELS][EXIT_REASON_MAX + 1];

/* x / n as fixed-point with two decimals, into buf: records carry no floats. */
static const char *per(char buf[24], uint64_t x, uint64_t n)
{
	sformat(buf, 24, "%lu.%02lu", x / n, x * 100 / n % 100);
	return buf;
}

/* One level's lines and records; returns its exits. */
static uint64_t print_level(enum vcpu_level level, const char *cpu)
{
	uint64_t total = 0;

	for (unsigned r = 0; r <= EXIT_REASON_MAX; r++) {
		const struct exit_stat *s = &exit_stats[level][r];
		if (!s->count)
			continue;
		total += s->count;
		char rd[24], wr[24];
		printf("hv:   %-20s %2s %10lu %12lu %9s %9s\n", exit_reason_name(r),
		       level == LEVEL_L2 ? "L2" : "L1", s->count, s->tsc / s->count,
		       per(rd, s->vmreads, s->count), per(wr, s->vmwrites, s->count));
		printf("@nb v=1 case=hv.exits reason=%s platform=%s level=%d hv=%s cpu=%s git=%s "
		       "clock=%s count=%lu ticks=%lu vmreads=%lu vmwrites=%lu from_level=%d\n",
		       exit_reason_name(r), boot_platform(), hv_level, cfg_desc, cpu, NB_GIT,
		       boot_clock(), s->count, s->tsc, s->vmreads, s->vmwrites,
		       hv_level + 1 + (int)level);
	}
	return total;
}

/* The others of s as "name:count,...", or "none". */
static const char *others_list(char *buf, size_t size, const struct account_stat *s)
{
	size_t n = 0;

	sformat(buf, size, "none");
	for (unsigned r = 0; r <= EXIT_REASON_MAX && n < size; r++)
		if (s->others[r])
			n += (size_t)sformat(buf + n, size - n, "%s%s:%lu", n ? "," : "",
					     exit_reason_name(r), s->others[r]);
	return buf;
}

/* The hv.nested records (nested/account.h): per reason of L2's exits that reached
 * L1, the exits of L0 one round trip of L2 through L1 caused. */
static void print_nested(const char *cpu)
{
	struct account *a = &nested_account;
	bool header = false;

	account_finish(a);
	for (unsigned r = 0; r <= EXIT_REASON_MAX; r++) {
		const struct account_stat *s = &a->stat[r];
		if (!s->l2_exits && !s->unfinished)
			continue;
		if (!header) {
			printf("hv: exits of L2 reflected to L1, and per exit the exits of L0 they "
			       "caused and the time L0 and L1 spent:\n");
			printf("hv:   %-20s %10s %9s %9s %9s %9s %12s %12s %8s %10s\n", "reason",
			       "l2_exits", "l0_exits", "vmreads", "vmwrites", "other", "l0 ticks",
			       "l1 ticks", "l0_only", "unfinished");
			header = true;
		}
		uint64_t n = s->l2_exits ? s->l2_exits : 1;
		static char others[ACCOUNT_REASONS * 32];
		char l0[24], rd[24], wr[24], ot[24];
		printf("hv:   %-20s %10lu %9s %9s %9s %9s %12lu %12lu %8lu %10lu\n",
		       exit_reason_name(r), s->l2_exits, per(l0, s->l0_exits, n),
		       per(rd, s->vmreads, n), per(wr, s->vmwrites, n), per(ot, s->other, n),
		       s->l0_ticks / n, s->l1_ticks / n, s->l0_only, s->unfinished);
		printf("@nb v=1 case=hv.nested reason=%s platform=%s level=%d hv=%s cpu=%s git=%s "
		       "clock=%s from_level=%d l2_exits=%lu l0_exits=%lu reflected=%lu vmreads=%lu "
		       "vmwrites=%lu vmresumes=%lu other=%lu others=%s l0_ticks=%lu l1_ticks=%lu "
		       "l0_only=%lu unfinished=%lu\n",
		       exit_reason_name(r), boot_platform(), hv_level, cfg_desc, cpu, NB_GIT,
		       boot_clock(), hv_level + 2, s->l2_exits, s->l0_exits, s->reflected,
		       s->vmreads, s->vmwrites, s->vmresumes, s->other,
		       others_list(others, sizeof(others), s), s->l0_ticks, s->l1_ticks,
		       s->l0_only, s->unfinished);
	}
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
	print_nested(cpu);
	if (io_unclaimed)
		printf("hv: %lu accesses to unclaimed I/O ports (last: %#lx) read as all ones "
		       "or were dropped\n", io_unclaimed, io_unclaimed_last_port);
	printf("@nb v=1 case=hv.io platform=%s level=%d hv=%s cpu=%s git=%s unclaimed_ports=%lu\n",
	       boot_platform(), hv_level, cfg_desc, cpu, NB_GIT, io_unclaimed);
}
