/* cpu.h - one-instruction wrappers (CPUID, MSRs, control registers, TSC, PMCs, ports).
 *
 * Each wrapper is exactly the instruction, so what a benchmark times is what it
 * names. The *_safe variants run the instruction under an exception fixup (see
 * exception.h) and return the vector it raised, or 0 when it completed (none of
 * them can raise #DE, vector 0), so `if (rdmsr_safe(...))` reads "if it faulted":
 * that is how a kernel probes hardware that may #GP (Bochs advertises a PMU that
 * faults). */
#ifndef NB_CPU_H
#define NB_CPU_H

#include <stdint.h>
#include "cpuid.h"
#include "exception.h"

struct cpuid { uint32_t a, b, c, d; };

static inline struct cpuid cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid r;
	asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

/* CPUID leaf `leaf` when the CPU has it, else all zeroes: a leaf above the maximum of
 * its range (CPUID.0H:EAX for basic leaves, CPUID.80000000H:EAX for extended ones)
 * returns another leaf's data, not zeroes (SDM Vol. 2A, CPUID). So a feature bit read
 * through this is clear on a CPU that does not have the leaf at all. */
static inline struct cpuid cpuid_if_present(uint32_t leaf, uint32_t subleaf)
{
	if (cpuid(leaf & 0x80000000u, 0).a < leaf)
		return (struct cpuid){ 0, 0, 0, 0 };
	return cpuid(leaf, subleaf);
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return lo | ((uint64_t)hi << 32);
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

static inline int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	exc_arm();
	asm volatile("1: rdmsr\n2:\n" EXTABLE(1b, 2b)
		     : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*val = lo | ((uint64_t)hi << 32);
	return exc_vector();
}

static inline int wrmsr_safe(uint32_t msr, uint64_t val)
{
	exc_arm();
	asm volatile("1: wrmsr\n2:\n" EXTABLE(1b, 2b)
		     : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
	return exc_vector();
}

#define DEFINE_CR(n)                                                          \
	static inline uint64_t read_cr##n(void)                               \
	{                                                                     \
		uint64_t v;                                                   \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));                 \
		return v;                                                     \
	}                                                                     \
	static inline void write_cr##n(uint64_t v)                            \
	{                                                                     \
		asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");        \
	}                                                                     \
	static inline int write_cr##n##_safe(uint64_t v)                      \
	{                                                                     \
		exc_arm();                                                    \
		asm volatile("1: mov %0, %%cr" #n "\n2:\n" EXTABLE(1b, 2b)    \
			     : : "r"(v) : "memory");                          \
		return exc_vector();                                          \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
DEFINE_CR(8)
#undef DEFINE_CR

static inline uint64_t xgetbv(uint32_t index)
{
	uint32_t lo, hi;
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return lo | ((uint64_t)hi << 32);
}

static inline int xsetbv_safe(uint32_t index, uint64_t val)
{
	exc_arm();
	asm volatile("1: xsetbv\n2:\n" EXTABLE(1b, 2b)
		     : : "c"(index), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
	return exc_vector();
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | ((uint64_t)hi << 32);
}

/* RDTSCP waits for earlier instructions to complete; aux receives IA32_TSC_AUX. */
static inline uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi, c;
	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(c));
	if (aux)
		*aux = c;
	return lo | ((uint64_t)hi << 32);
}

static inline uint64_t rdpmc(uint32_t counter)
{
	uint32_t lo, hi;
	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(counter));
	return lo | ((uint64_t)hi << 32);
}

static inline int rdpmc_safe(uint32_t counter, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	exc_arm();
	asm volatile("1: rdpmc\n2:\n" EXTABLE(1b, 2b)
		     : "+a"(lo), "+d"(hi) : "c"(counter) : "memory");
	*val = lo | ((uint64_t)hi << 32);
	return exc_vector();
}

static inline void lfence(void) { asm volatile("lfence" ::: "memory"); }
static inline void mfence(void) { asm volatile("mfence" ::: "memory"); }
static inline void pause(void) { asm volatile("pause"); }
static inline void cli(void) { asm volatile("cli" ::: "memory"); }
static inline void sti(void) { asm volatile("sti" ::: "memory"); }
static inline void hlt(void) { asm volatile("hlt" ::: "memory"); }
static inline void invlpg(uintptr_t va) { asm volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline uint64_t read_rflags(void)
{
	uint64_t f;
	asm volatile("pushfq; pop %0" : "=r"(f));
	return f;
}

static inline void outb(uint16_t port, uint8_t v) { asm volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { asm volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { asm volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Reads and writes that may fault (unmapped address, EPT-protected page). */
static inline int read64_safe(const volatile uint64_t *p, uint64_t *val)
{
	uint64_t v = 0;
	exc_arm();
	asm volatile("1: mov (%1), %0\n2:\n" EXTABLE(1b, 2b) : "+r"(v) : "r"(p) : "memory");
	*val = v;
	return exc_vector();
}

static inline int write64_safe(volatile uint64_t *p, uint64_t val)
{
	exc_arm();
	asm volatile("1: mov %1, (%0)\n2:\n" EXTABLE(1b, 2b) : : "r"(p), "r"(val) : "memory");
	return exc_vector();
}

/* Executes UD2 under a fixup: returns 6 (#UD) on any sane CPU, 0 on none. */
static inline int ud2_safe(void)
{
	exc_arm();
	asm volatile("1: ud2\n2:\n" EXTABLE(1b, 2b) : : : "memory");
	return exc_vector();
}

#endif
