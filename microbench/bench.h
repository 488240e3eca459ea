/* bench.h - the microbenchmark framework: what a case is, and what it may ask of the
 * platform it runs on.
 *
 * A case is one C file in microbench/ ending with BENCH_CASE(...). It is compiled
 * twice with no edit anywhere else: freestanding into the bench guest
 * (build/l2-guests/bench.elf) and hosted into the native runner (build/host/bench).
 * The framework (framework.c) owns the method - warm-up, doubling the iteration count
 * up to a time goal, subtracting an identical control loop, repetitions reported as
 * median/min/max/p90 - and prints one "@nb v=1 ..." record per case and variant.
 *
 * Cases include only this header and the one-instruction wrappers they time. */
#ifndef NB_BENCH_H
#define NB_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hardware counters, when the platform has working ones (docs/method.md). The
 * framework counts one extra loop of the operation and one of the control with them
 * and reports the difference per operation beside the timing. */
#define BENCH_MAX_COUNTERS 8
struct bench_counters {
	unsigned n;                               /* 0: none requested */
	const char *names[BENCH_MAX_COUNTERS];    /* as given, e.g. skl::DTLB_LOAD_MISSES:... */
	const char *unsupported;                  /* why they cannot count here, or NULL */
	void (*start)(void);                      /* zero and enable */
	void (*stop)(uint64_t *vals);             /* disable and read n values */
};

/* How a timed loop reads the TSC: begin before it, end after it. Both wait for the
 * instructions before them to complete and keep later ones from starting early, so
 * the loop is all that lies between. The framework picks one at start from what
 * CPUID says the CPU has (framework.c, bench_timer_for); name is the record's
 * tsc_end= word, the instruction that ends a loop. */
struct bench_timer {
	const char *name;
	uint64_t (*begin)(void);
	uint64_t (*end)(void);
};

/* The timer for a CPU with these CPUID words (leaf 01H EDX, leaf 80000001H EDX; the
 * latter 0 when the leaf is absent): RDTSCP where it exists, else LFENCE;RDTSC.
 * NULL, with *why, when the CPU has no TSC or no LFENCE to time with at all. */
const struct bench_timer *bench_timer_for(uint32_t cpuid_1_edx, uint32_t cpuid_80000001_edx,
					  const char **why);

/* A 4 KiB page for the page-table cases (pt.*), from bench_paging.page_new: mapped,
 * writable and backed when it comes. The platform keeps what it needs behind it. */
struct bench_paging;
struct bench_page {
	volatile uint8_t *va;
	const struct bench_paging *ops;   /* the operations below, for this page */
	const char *via;   /* how the case's event is made, for its record (via=): one
			    * of ops' via_* words, via_pte unless the case says another */
};

/* Page-table events, for the pt.* cases: in a kernel the entries and instructions
 * themselves (l2-guests/bench/paging.c), in a Linux process the system calls that make
 * its kernel do the same to its page tables (host/native_paging.c). The via_* words
 * name which, for the records (via=). */
struct bench_paging {
	struct bench_page *(*page_new)(const char **why);   /* NULL with *why */
	void (*page_free)(struct bench_page *pg);
	/* Changes the page's translation and invalidates it, leaving it mapped, so that
	 * the next touch walks the page tables: a kernel points the PTE at another frame
	 * and executes INVLPG; a process toggles write permission with mprotect(). */
	void (*remap)(struct bench_page *pg);
	/* unmap makes the page not present and invalidates its translation; map writes a
	 * present entry for it again, which no TLB holds (a kernel writes the PTE; a
	 * process calls mprotect() with PROT_NONE, then read/write). */
	void (*unmap)(struct bench_page *pg);
	void (*map)(struct bench_page *pg);
	/* Touches the page, which unmap made not present, and returns once the
	 * platform's page-fault handler has resumed after the touch: the vector caught
	 * (14, #PF), or 0 when the touch did not fault. */
	int (*fault)(struct bench_page *pg);
	/* A second address space that maps everything the first does (a kernel copies
	 * its top-level table), made for the page by spaces_new (-1 with *why where none
	 * can be had); spaces_switch loads the other one's root (MOV CR3). page_free
	 * returns to the first. */
	int (*spaces_new)(struct bench_page *pg, const char **why);
	void (*spaces_switch)(struct bench_page *pg);
	const char *via_pte;     /* how remap, map and unmap are done */
	const char *via_fault;   /* how the fault is taken and handled */
	const char *via_space;   /* how the address space is switched */
};

/* One plain read of a page, the access each pt.* case times after its event. */
static inline __attribute__((always_inline)) void bench_touch(const struct bench_page *pg)
{
	(void)*pg->va;
}

/* What the platform offers a case (filled by l2-guests/bench/ or host/bench.c). */
struct bench_env {
	const char *platform;   /* bochs, qemu, qemu-kvm, kvm, native */
	int level;              /* hypervisors below this code: 0 bare */
	const char *clock;      /* "tsc" (cycles) or "instructions" (Bochs) */
	bool ring0;             /* privileged instructions allowed (a guest kernel) */
	bool nb_hypervisor;     /* a nestbench hypervisor is directly below */
	bool emulator;          /* the CPU identifies itself as an emulator (QEMU TCG) */
	/* size bytes of memory backed by pages of page_bytes (4K, 2M or 1G), or NULL
	 * with *why saying what could not be had. Memory is zeroed. */
	void *(*alloc)(uint64_t size, uint64_t page_bytes, const char **why);
	void (*free)(void *p, uint64_t size);
	/* Optional (NULL when absent): the guest-physical address behind p, so that a
	 * walk-depth case can ask the hypervisor about it. */
	uint64_t (*phys)(const void *p);
	/* Optional (NULL where this code cannot read its own page tables): walks them for
	 * p; returns 0 and the entries read and the page level (1 4K, 2 2M, 3 1G). */
	int (*walk)(const void *p, int *refs, int *level);
	/* Optional (NULL in user mode): RDMSR that reports a fault instead of taking it;
	 * returns 0 when the read completed, else the exception vector. */
	int (*rdmsr_safe)(uint32_t msr, uint64_t *val);
	/* Optional (NULL in user mode): executes UD2 and returns once the platform's #UD
	 * handler has resumed after it. */
	void (*raise_ud)(void);
	const struct bench_counters *counters;  /* NULL: none requested */
	/* Optional (NULL where no nestbench hypervisor is below): the hypervisor's count
	 * of this code's exits so far, its own call's exit not included (HC_EXITS). The
	 * framework reads it around every timed loop, for exits= per operation. */
	uint64_t (*exits)(void);
	/* Optional (NULL where the platform has none): page-table events (pt.*). */
	const struct bench_paging *paging;
	/* Where others share the machine (framework.c, repetition): each repetition times
	 * best_of pairs of loops (0 or 1: one) on each of the cpus this code may run on
	 * (0 or 1: where it is), moving with move_to_cpu(i) (returns the CPU's number, or
	 * -1), and keeps the least disturbed pair. */
	unsigned best_of;
	unsigned cpus;
	/* Where disturbances last seconds (0 or 1: no rounds): the run goes over all
	 * selected cases this many times, setting each variant up afresh and taking its
	 * share of the repetitions each time, so one burst touches a few repetitions of
	 * many variants instead of all of one. At most reps. */
	unsigned rounds;
	int (*move_to_cpu)(unsigned i);
	/* Optional (NULL: bench_timer_for this CPU): the clock to time with. The unit
	 * tests put a slowed-down TSC here to play a platform that emulates every
	 * instruction. */
	const struct bench_timer *timer;
};

/* A case's setup returns one of these. */
#define BENCH_OK          0
#define BENCH_DONE        1   /* no such variant: the case has no more */
#define BENCH_UNSUPPORTED 2   /* this platform cannot serve it; *why says why */

/* What a case needs of the platform; the framework reports it unsupported otherwise. */
#define BENCH_NEEDS_RING0      (1u << 0) /* privileged instructions: not the native runner */
#define BENCH_NEEDS_NESTBENCH  (1u << 1) /* a nestbench hypervisor directly below */

struct bench_case {
	const char *name;       /* "family.case", e.g. "vmexit.cpuid" */
	const char *metric;     /* what one operation is, e.g. "round_trip", "access" */
	unsigned needs;         /* BENCH_NEEDS_* */
	/* Prepares variant number `variant` (0, 1, ...) and describes it as key=value
	 * words in params (e.g. "page=4k span=64m"; "" when the case has one variant).
	 * May be NULL for a case with one variant and no state. */
	int (*setup)(const struct bench_env *env, unsigned variant, void **state,
		     char *params, size_t n, const char **why);
	void (*run)(void *state, uint64_t iters);      /* the operation, iters times */
	void (*control)(void *state, uint64_t iters);  /* the same loop without it */
	void (*teardown)(void *state);                  /* may be NULL */
	/* Optional: moves run and control to the case's next memory layout (the same
	 * chains in other pages), before each repetition, so that a figure is not one
	 * layout's luck. */
	void (*next_layout)(void *state);
	/* Optional: extra key=value words for the record, measured after the timing
	 * (e.g. each chain's own cost). */
	void (*extra)(void *state, const struct bench_env *env, char *buf, size_t n);
	/* For a case that counts rather than times (run and control NULL): fills buf with
	 * its key=value results, and the record carries those instead of timings. */
	void (*count)(void *state, const struct bench_env *env, char *buf, size_t n);
};

/* Registers a case: a pointer to it lands in section nb_table_bench, which the
 * framework walks (__start_/__stop_ symbols: GNU ld for the hosted build,
 * lib/kernel.ld for the kernels). */
#define BENCH_CASE(id)                                                            \
	static const struct bench_case id;                                        \
	static const struct bench_case *const id##_entry                          \
		__attribute__((used, section("nb_table_bench"))) = &id;           \
	static const struct bench_case id

/* The most repetitions one case may have: the framework keeps every repetition's
 * timing on the stack. The native runner's --help states it, and scripts/bench reads
 * it there, so the runner, the guest and the matrix agree on one limit. */
#define BENCH_MAX_REPS 64

/* Runs the cases whose names match a pattern in sel ("vmexit.cpuid,tlb.*"; NULL or
 * "" = all). goal: ticks one timed loop should last; reps: repetitions (1..
 * BENCH_MAX_REPS). Returns 0,
 * or -1 after printing the known cases when a pattern matches nothing. */
int bench_main(const struct bench_env *env, const char *sel, uint64_t goal, unsigned reps,
	       const char *context);

/* The common setup of the pt.* cases: one variant, a struct bench_page from
 * env->paging in *state. BENCH_OK, BENCH_DONE or BENCH_UNSUPPORTED as a setup
 * returns. */
int bench_page_setup(const struct bench_env *env, unsigned variant, void **state,
		     char *params, size_t n, const char **why);
/* Gives back the page of bench_page_setup (a case's teardown). */
void bench_page_teardown(void *state);
/* Does nothing to the page: what a pt.* control loop calls instead of the event. */
void bench_page_nothing(struct bench_page *pg);
/* n times: op(pg), then one read of the page (the loop of most pt.* cases). */
void bench_page_loop(struct bench_page *pg, void (*op)(struct bench_page *), uint64_t n);
/* Their control: bench_page_loop with bench_page_nothing (state: the page). */
void bench_page_control(void *state, uint64_t n);
/* The record's via= word of the page's case (a case's extra). */
void bench_page_extra(void *state, const struct bench_env *env, char *buf, size_t n);

/* For a case that times its own loop differently: the serialising TSC reads the
 * framework uses (the timer bench_main chose: LFENCE;RDTSC;LFENCE before, and
 * RDTSCP;LFENCE or LFENCE;RDTSC;LFENCE after). */
uint64_t bench_tsc_begin(void);
uint64_t bench_tsc_end(void);

#endif
