/* bench.c - the native runner: the microbench cases (microbench/) as a Linux process.
 * Same cases, same framework, same records as the bench guest; what differs is the
 * environment: user mode (cases needing ring 0 say unsupported), memory from mmap
 * with transparent or hugetlbfs huge pages, and the level the CPU reports (a cloud VM
 * is level 1). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bench.h"
#include "level.h"
#include "perf_counters.h"
#include "version.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

static void usage(FILE *f)
{
	fprintf(f, "Usage: bench [--bench=PATTERNS] [--goal=TICKS] [--reps=N] [--events=NAMES]\n"
		   "Runs the microbenchmark cases natively and prints one @nb record per case.\n"
		   "  --bench=PATTERNS  comma-separated case names, '*' wildcards (default: all)\n"
		   "  --goal=TICKS      TSC ticks one timed loop should last (default 2^26)\n"
		   "  --reps=N          repetitions per case (default 11)\n"
		   "  --events=NAMES    comma-separated libpfm4 event names to count (perf_event_open),\n"
		   "                    e.g. skl::DTLB_LOAD_MISSES:WALK_COMPLETED; at most 8\n");
}

/* Whether the kernel backed [p, p+size) with huge pages: AnonHugePages in smaps. */
static int thp_backed(void *p, uint64_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	unsigned long lo, hi;
	int in = 0, ok = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = lo <= (unsigned long)p && (unsigned long)p < hi;
		unsigned long kb;
		if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			ok = kb * 1024 >= size;
	}
	fclose(f);
	return ok;
}

static void *native_alloc(uint64_t size, uint64_t page, const char **why)
{
	size = (size + page - 1) & ~(page - 1);
	if (page == 4096) {
		void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			*why = "mmap failed";
			return NULL;
		}
		/* Keep the kernel from promoting it to huge pages behind our back. */
		madvise(p, size, MADV_NOHUGEPAGE);
		memset(p, 1, size);
		memset(p, 0, size);
		return p;
	}
	int shift = page == (1ULL << 30) ? 30 : 21;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (shift << MAP_HUGE_SHIFT), -1, 0);
	if (p != MAP_FAILED) {
		memset(p, 0, size);
		return p;
	}
	if (page == (1ULL << 30)) {
		*why = "no 1 GiB hugetlbfs pages reserved (vm.nr_hugepages for 1G)";
		return NULL;
	}
	/* No reserved 2 MiB pages: ask for transparent huge pages on an aligned range. */
	uint8_t *raw = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) {
		*why = "mmap failed";
		return NULL;
	}
	uint8_t *a = (uint8_t *)(((uintptr_t)raw + page - 1) & ~(uintptr_t)(page - 1));
	madvise(a, size, MADV_HUGEPAGE);
	memset(a, 1, size);
	memset(a, 0, size);
	if (!thp_backed(a, size)) {
		munmap(raw, size + page);
		*why = "the kernel gave no 2 MiB pages (THP off or memory fragmented)";
		return NULL;
	}
	return a;
}

static void native_free(void *p, uint64_t size)
{
	/* Huge-page and THP regions were over-allocated and aligned; leaking the slack
	 * of a short-lived process beats tracking it. */
	munmap(p, size);
}

int main(int argc, char **argv)
{
	const char *sel = "";
	const struct bench_counters *env_counters = NULL;
	unsigned long long goal = 1ULL << 26, reps = 11;
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
		} else if (sscanf(argv[i], "--goal=%llu", &goal) == 1 && goal) {
		} else if (sscanf(argv[i], "--reps=%llu", &reps) == 1 && reps) {
		} else {
			fprintf(stderr, "bench: unknown or bad argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	/* Stay on one CPU: a migration in the middle of a loop moves it to another TLB
	 * and cache. */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		fprintf(stderr, "bench: warning: cannot pin to one CPU: %s\n", strerror(errno));
	level_detect(&below);
	cpu_identity(cpu, sizeof(cpu));
	snprintf(context, sizeof(context), "hv=%s cpu=%s git=%s",
		 below.level ? below.vendor : "none", cpu, NB_GIT);
	struct bench_env env = {
		.platform = "native", .level = below.level, .clock = "tsc", .ring0 = false,
		.nb_hypervisor = below.nestbench, .alloc = native_alloc, .free = native_free,
		.counters = env_counters,
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench: native, level %d, clock tsc, goal %llu ticks, %llu repetitions\n",
	       env.level, goal, reps);
	return bench_main(&env, sel, goal, (unsigned)reps, context) ? 2 : 0;
}
