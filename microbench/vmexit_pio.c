/* vmexit.pio - IN from port 0xE9, which a nestbench hypervisor emulates (and Bochs's
 * port_e9_hack answers): an I/O-instruction exit with its exit-qualification decode.
 * Needs ring 0: unsupported in the native (user-space) runner. */
#include "bench.h"

#define PORT 0xe9

static void run(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint32_t v;
		asm volatile("inl %1, %0" : "=a"(v) : "Nd"((uint16_t)PORT));
	}
}

static void control(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--) {
		uint32_t v;
		asm volatile("" : "=a"(v));
	}
}

BENCH_CASE(vmexit_pio) = {
	.name = "vmexit.pio", .metric = "round_trip", .needs = BENCH_NEEDS_RING0, .run = run,
	.control = control,
};
