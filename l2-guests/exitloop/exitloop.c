/* exitloop.c - times a loop of CPUID (and, under a nestbench hypervisor, VMCALL)
 * with RDTSC, minus an identical loop without the instruction: the round-trip cost
 * of one exit as the guest sees it. Under Bochs one TSC tick is one emulated
 * instruction, so the figure is the hypervisor's path length.
 *
 * Command line: iters=N (default 10000), reps=R (default 5).
 * Prints one record per measurement with the median of R repetitions, and exits 0.
 * The microbenchmark framework (microbench/) is the general tool; this kernel is the
 * small fixed probe that the hypervisor's path-length target is checked with. */
#include "cmdline.h"
#include "cpu.h"
#include "hypercall.h"
#include "kernel.h"
#include "printf.h"

#define MAX_REPS 31

/* Each loop body is the operation plus the loop's own dec/jnz; the control loop has
 * only the latter, so the difference is the operation alone. */
static uint64_t time_cpuid(uint64_t n)
{
	uint64_t t0 = rdtsc();
	for (uint64_t i = n; i; i--) {
		uint32_t a = 0, b, c = 0, d;
		asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	}
	return rdtsc() - t0;
}

static uint64_t time_vmcall(uint64_t n)
{
	uint64_t t0 = rdtsc();
	for (uint64_t i = n; i; i--) {
		uint64_t a = HC_NULL;
		asm volatile("vmcall" : "+a"(a) : : "memory");
	}
	return rdtsc() - t0;
}

static uint64_t time_mmio(uint64_t n)
{
	volatile uint64_t *id = (volatile uint64_t *)HV_MMIO_TEST_GPA;
	uint64_t t0 = rdtsc();
	for (uint64_t i = n; i; i--)
		(void)*id;
	return rdtsc() - t0;
}

/* The emulated device must answer like a device: its ID, and a scratch register
 * that keeps what was written, at every access width. */
static int check_mmio(void)
{
	volatile uint64_t *id = (volatile uint64_t *)HV_MMIO_TEST_GPA;
	volatile uint64_t *scratch = (volatile uint64_t *)(HV_MMIO_TEST_GPA + HV_MMIO_SCRATCH);
	volatile uint32_t *scratch32 = (volatile uint32_t *)scratch;
	volatile uint8_t *scratch8 = (volatile uint8_t *)scratch;
	int ok = 1;

	uint64_t got = *id;
	ok &= got == HV_MMIO_ID;
	*scratch = 0x1122334455667788ULL;
	ok &= *scratch == 0x1122334455667788ULL;
	scratch32[1] = 0xaabbccdd;
	ok &= *scratch == 0xaabbccdd55667788ULL;
	scratch8[0] = 0x99;
	ok &= scratch8[0] == 0x99 && scratch32[0] == 0x55667799;
	printf("%s mmio: id %#lx, scratch %#lx after 64/32/8-bit writes\n",
	       ok ? "PASS" : "FAIL", got, *scratch);
	return ok;
}

static uint64_t time_control(uint64_t n)
{
	uint64_t t0 = rdtsc();
	for (uint64_t i = n; i; i--)
		asm volatile("" ::: "memory");
	return rdtsc() - t0;
}

static void sort(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void measure(const char *name, uint64_t (*op)(uint64_t), uint64_t iters, int reps)
{
	uint64_t per[MAX_REPS];

	op(iters / 10 + 1); /* warm-up */
	for (int r = 0; r < reps; r++) {
		uint64_t t = op(iters), c = time_control(iters);
		per[r] = t > c ? (t - c) / iters : 0;
	}
	sort(per, reps);
	printf("@nb v=1 case=%s metric=round_trip unit=ticks clock=%s platform=%s "
	       "iterations=%lu repetitions=%d median=%lu min=%lu max=%lu\n",
	       name, boot_clock(), boot_platform(), iters, reps, per[reps / 2], per[0],
	       per[reps - 1]);
}

int main(void)
{
	static const char *const keys[] = { "iters", "reps", NULL };
	uint64_t iters = 10000, reps = 5;

	boot_check_args(keys);
	if (cmdline_get_u64(boot.cmdline, "iters", &iters) == -2 || !iters ||
	    cmdline_get_u64(boot.cmdline, "reps", &reps) == -2 || !reps || reps > MAX_REPS) {
		printf("error: iters=N (N > 0) reps=R (1..%d)\n", MAX_REPS);
		return 4;
	}
	measure("vmexit.cpuid", time_cpuid, iters, (int)reps);
	struct cpuid s = cpuid(HV_CPUID_SIGNATURE, 0);
	if (s.b == HV_SIGNATURE_EBX && s.c == HV_SIGNATURE_ECX && s.d == HV_SIGNATURE_EDX) {
		measure("vmexit.vmcall", time_vmcall, iters, (int)reps);
		if (!check_mmio())
			return 1;
		measure("vmexit.mmio", time_mmio, iters, (int)reps);
		return 0;
	}
	printf("@nb v=1 case=vmexit.vmcall platform=%s status=unsupported "
	       "reason=no_nestbench_hypervisor\n", boot_platform());
	printf("@nb v=1 case=vmexit.mmio platform=%s status=unsupported "
	       "reason=no_nestbench_hypervisor\n", boot_platform());
	return 0;
}
