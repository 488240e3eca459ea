/* chaos.c - a guest that misbehaves on purpose, one case per run or a list of them.
 *
 * The hypervisor's contract: every case ends either with the guest surviving (it
 * caught the architectural exception) or with a clean, specific report from the
 * hypervisor; the hypervisor never crashes, hangs or resets the platform.
 *
 * Command line: case=NAME or case=NAME,NAME,... (required: a list runs its cases in
 * turn, each printing what it prints alone, then "chaos: N cases: ..."; a case
 * that ends the guest may only come last), seed=N (the PRNG seed for msr and io;
 * fixed by default, so runs repeat).
 * Cases the guest must survive: one PASS/FAIL/SKIP line per check, then 0, or
 * EXIT_FAIL when a check failed. They check only architectural answers, so bare
 * Bochs/QEMU and the hypervisor must agree:
 *   cr         reserved bits in CR0/CR4/CR8/EFER/XCR0 raise #GP; VMX insns raise #UD
 *   msr        2000 random RDMSRs, harmless write-backs; only #GP may be raised
 *   io         2000 random port accesses away from the devices that matter
 *   invd       INVD and WBINVD
 *   hypercall  the VMCALL ABI with good and bad arguments (EXIT_SKIP when bare)
 *   mmio       the hypervisor's emulated MMIO test page answers like a device, at
 *              every access width (EXIT_SKIP when bare)
 *   vmx        VMX operation and VMCS pointers used right and wrong, one account
 *              line to compare bare and nested (vmx.c; EXIT_SKIP without VMX)
 * Cases the hypervisor must stop (the guest says what it does, does it, and if it
 * still runs afterwards prints "FAIL <case>: still running", EXIT_FAIL):
 *   triple, beyond_ram, apic, above_4g, loop, hlt
 *   ram_sweep  fills every free frame with 0xCC and returns 0; the hypervisor then
 *              checks that its own memory is untouched
 *   pte_escape its own page tables aimed at the hypervisor's memory and outside RAM
 *              (pte.c; count=N first reloads CR3 and touches fresh pages) */
#include "cmdline.h"
#include "console.h"
#include "cpu.h"
#include "cr.h"
#include "exit.h"
#include "hypercall.h"
#include "kernel.h"
#include "msr.h"
#include "printf.h"
#include "report.h"
#include "string.h"
#include "exit_reasons.h"
#include "chaos.h"

#define ROUNDS 2000
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))


static int summary(const char *c)
{
	printf("chaos %s: %u passed, %u failed, %u skipped\n", c, report_counts.passed, report_counts.failed, report_counts.skipped);
	return report_counts.failed ? EXIT_FAIL : EXIT_OK;
}

/* v: what a *_safe wrapper returned, the vector raised or 0 for none. */
static const char *vec_name(int v) { return v ? exc_name(v) : "nothing"; }

/* QEMU TCG (platform=qemu) has known gaps: it silently accepts reserved bits in CR0,
 * CR8 and EFER, and a reserved CR4 bit hangs it (7.2's helper_write_crN takes its
 * SVM #VMEXIT path even outside an SVM guest). A check marked gap that raised
 * nothing there is a SKIP naming the gap; anywhere else, the hypervisor included,
 * the architectural answer is required. */
static bool tcg;

static void expect(const char *name, int got, int want, const char *what, bool gap)
{
	if (gap && tcg && !got)
		report(REPORT_SKIP, name, "%s raised nothing: a known QEMU TCG gap", what);
	else
		report(got == want, name, "%s raised %s (%d), want vector %d", what,
		       vec_name(got), got, want);
}

/* xorshift64: tiny, deterministic, good enough to scatter probes. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool under_nestbench(void)
{
	struct cpuid r = cpuid(HV_CPUID_SIGNATURE, 0);
	return r.b == HV_SIGNATURE_EBX && r.c == HV_SIGNATURE_ECX && r.d == HV_SIGNATURE_EDX;
}

/* ---- cr: reserved bits and VMX instructions -------------------------------- */

enum reg { REG_CR0, REG_CR4, REG_CR8, REG_EFER, REG_XCR0 };

static int put(enum reg r, uint64_t v)
{
	switch (r) {
	case REG_CR0: return write_cr0_safe(v);
	case REG_CR4: return write_cr4_safe(v);
	case REG_CR8: return write_cr8_safe(v);
	case REG_EFER: return wrmsr_safe(MSR_EFER, v);
	default: return xsetbv_safe(0, v);
	}
}

/* Writes a bad value, expecting #GP; if it was wrongly accepted, puts the old one
 * back so the following checks start from a sane machine. */
static void bad_write(const char *name, enum reg r, uint64_t bad, uint64_t old,
		      const char *what, bool gap)
{
	int v = put(r, bad);
	if (!v)
		put(r, old);
	expect(name, v, EXC_GP, what, gap);
}

/* VMX instructions outside VMX operation (CR4.VMXE = 0) are #UD whatever CPUID says;
 * in VMX non-root they exit instead, and the hypervisor must inject the #UD. */
static int vmxon_safe(uint64_t *region_pa)
{
	exc_arm();
	asm volatile("1: vmxon %0\n2:\n" EXTABLE(1b, 2b) : : "m"(*region_pa) : "memory", "cc");
	return exc_vector();
}

static int vmptrst_safe(uint64_t *out)
{
	exc_arm();
	asm volatile("1: vmptrst %0\n2:\n" EXTABLE(1b, 2b) : "=m"(*out) : : "memory", "cc");
	return exc_vector();
}

static void check_xcr0(void)
{
	uint64_t cr4 = read_cr4();

	/* XSETBV with CR4.OSXSAVE clear is #UD, with or without XSAVE support. */
	if (!(cr4 & CR4_OSXSAVE))
		expect("xsetbv-no-osxsave", xsetbv_safe(0, 1), EXC_UD,
		       "xsetbv with CR4.OSXSAVE=0", false);
	if (!(cpuid(1, 0).c & CPUID_1_ECX_XSAVE)) {
		report(REPORT_SKIP, "xcr0", "no XSAVE (CPUID.1:ECX[26]), so no XCR0 to test");
		return;
	}
	int v = write_cr4_safe(cr4 | CR4_OSXSAVE);
	report(!v, "cr4-osxsave", "setting CR4.OSXSAVE (XSAVE offered) raised %s",
	       vec_name(v));
	if (v)
		return;
	uint64_t xcr0 = xgetbv(0);
	bad_write("xcr0-zero", REG_XCR0, 0, xcr0, "xsetbv XCR0=0 (x87 bit clear)", false);
	bad_write("xcr0-bit63", REG_XCR0, xcr0 | BIT_ULL(63), xcr0, "xsetbv XCR0 with bit 63", false);
	write_cr4(cr4);
}

static int case_cr(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4(), efer = rdmsr(MSR_EFER), var = 0;

	/* Each bad value is the current one with one bit wrong, so only that bit can be
	 * what the CPU (or the hypervisor) objects to. */
	tcg = !strcmp(boot_platform(), "qemu");
	bad_write("cr0-bit63", REG_CR0, cr0 | BIT_ULL(63), cr0, "mov cr0 with bit 63", true);
	bad_write("cr0-nw-without-cd", REG_CR0, (cr0 & ~CR0_CD) | CR0_NW, cr0,
		  "mov cr0 with NW=1 CD=0", true);
	if (tcg) {
		report(REPORT_SKIP, "cr4-reserved", "reserved CR4 bits (31, 63, VMXE) hang QEMU TCG; "
		       "not tried");
	} else {
		bad_write("cr4-bit31", REG_CR4, cr4 | BIT_ULL(31), cr4, "mov cr4 with bit 31", false);
		bad_write("cr4-bit63", REG_CR4, cr4 | BIT_ULL(63), cr4, "mov cr4 with bit 63", false);
		if (cpuid(1, 0).c & CPUID_1_ECX_VMX)
			report(REPORT_SKIP, "cr4-vmxe", "VMX is offered (CPUID.1:ECX[5]): VMXE is legal");
		else
			bad_write("cr4-vmxe", REG_CR4, cr4 | CR4_VMXE, cr4,
				  "mov cr4 with VMXE, VMX not offered,", false);
	}
	bad_write("efer-bit63", REG_EFER, efer | BIT_ULL(63), efer, "wrmsr EFER with bit 63", true);
	check_xcr0();

	/* CR8 is the TPR: 4 bits, the rest reserved. */
	bad_write("cr8-bit4", REG_CR8, 0x10, 0, "mov cr8 = 0x10", true);
	int v = write_cr8_safe(5);
	uint64_t cr8 = read_cr8();
	write_cr8(0);
	report(!v && cr8 == 5, "cr8-legal", "mov cr8 = 5 raised %s, read back %lu",
	       vec_name(v), cr8);

	expect("vmxon", vmxon_safe(&var), EXC_UD, "vmxon with CR4.VMXE=0", false);
	expect("vmptrst", vmptrst_safe(&var), EXC_UD, "vmptrst outside VMX operation", false);
	return summary("cr");
}

/* ---- msr: random reads, harmless write-backs ------------------------------- */

/* Never written: MSRs this kernel runs on (EFER, FS/GS bases, PAT, APIC base, TSC,
 * MTRRs, SYSENTER, ...) and two that act on the value itself: 0x79 loads microcode
 * from the address written, 0x150 is the overclocking (voltage) mailbox. */
static bool msr_denied(uint32_t m)
{
	return m == 0x10 || m == 0x1b || m == 0x3a || m == 0x79 || m == 0xfe ||
	       m == 0x150 || (m >= 0x174 && m <= 0x176) || m == 0x1a0 || m == 0x277 ||
	       (m >= 0x200 && m <= 0x2ff) || m == MSR_EFER ||
	       (m >= 0xc0000100 && m <= 0xc0000102);
}

static int case_msr(void)
{
	static const struct { uint32_t base, count; } ranges[] = {
		{ 0x0, 0x2000 }, { 0xc0000000, 0x2000 }, { 0x40000000, 0x100 },
	};
	unsigned rd_ok = 0, rd_gp = 0, wr_ok = 0, wr_gp = 0, denied = 0, other = 0;

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t r = rnd(), val;
		uint32_t msr = ranges[r % 3].base + (uint32_t)((r >> 8) % ranges[r % 3].count);
		int v = rdmsr_safe(msr, &val);
		rd_ok += !v;
		rd_gp += v == EXC_GP;
		if (v && v != EXC_GP) {
			other++;
			printf("  rdmsr %#x raised %s\n", msr, vec_name(v));
		}
		if (msr_denied(msr)) {
			denied++;
			continue;
		}
		if (v)
			val = rnd();	/* nothing read to write back: try garbage */
		int w = wrmsr_safe(msr, val);
		wr_ok += !w;
		wr_gp += w == EXC_GP;
		if (w && w != EXC_GP) {
			other++;
			printf("  wrmsr %#x = %#lx raised %s\n", msr, val, vec_name(w));
		}
	}
	report(other == 0, "msr-random",
	       "%d MSRs: %u reads faulted with #GP, %u succeeded; %u writes faulted with #GP, "
	       "%u succeeded, %u not tried (denylist); %u other exceptions",
	       ROUNDS, rd_gp, rd_ok, wr_gp, wr_ok, denied, other);
	return summary("msr");
}

/* ---- io: random port accesses ---------------------------------------------- */

/* Ports that could end the run, reset or power off the machine, or make a device
 * write our memory (inclusive ranges). */
static const struct { uint16_t lo, hi; } io_denied[] = {
	{ 0x20, 0x21 }, { 0xa0, 0xa1 },   /* PICs */
	{ 0x40, 0x43 },                   /* PIT */
	{ 0x60, 0x64 },                   /* keyboard controller: 0x64 can reset */
	{ 0x70, 0x71 }, { 0x92, 0x92 },   /* CMOS and NMI mask; A20 and fast reset */
	{ 0xe9, 0xe9 }, { 0xf4, 0xf4 },   /* Bochs console; the exit port */
	{ 0x170, 0x177 }, { 0x1f0, 0x1f7 }, { 0x3f6, 0x3f6 }, /* ATA: Bochs boots from CD */
	{ 0x3b0, 0x3df },                 /* VGA, mono and colour */
	{ 0x3f8, 0x3ff },                 /* COM1, our console */
	{ 0x400, 0x4ff },                 /* Bochs BIOS/ACPI ports, QEMU debugcon */
	{ 0x500, 0x51f },                 /* QEMU pvpanic; fw_cfg, whose DMA writes RAM */
	{ 0x600, 0x73f },                 /* QEMU ACPI PM (PM1a_CNT powers off), SMBus */
	{ 0xcf8, 0xcff },                 /* PCI config; 0xcf9 resets */
	{ 0x8900, 0x8900 },               /* Bochs shutdown */
	{ 0x8a00, 0x8aff },               /* Bochs debugger/instrumentation */
	{ 0xae00, 0xafff },               /* QEMU ACPI hotplug and GPE */
	{ 0xb000, 0xb0ff },               /* Bochs ACPI PM */
};

/* An access of size bytes at port touches [port, port + size). */
static bool io_ok(uint32_t port, unsigned size)
{
	for (unsigned i = 0; i < NELEMS(io_denied); i++)
		if (port <= io_denied[i].hi && port + size - 1 >= io_denied[i].lo)
			return false;
	return port + size - 1 <= 0xffff;
}

static int case_io(void)
{
	unsigned reads = 0, writes = 0;
	uint8_t b[4];

	/* 0xe0-0xe3 belong to no device anywhere we run, so reads float to all ones;
	 * only the hypervisor promises that, emulators may answer otherwise. */
	for (int i = 0; i < 4; i++)
		b[i] = inb(0xe0 + i);
	bool ones = b[0] == 0xff && b[1] == 0xff && b[2] == 0xff && b[3] == 0xff;
	if (under_nestbench())
		report(ones, "io-unclaimed", "inb 0xe0..0xe3 = %02x %02x %02x %02x, want ff",
		       b[0], b[1], b[2], b[3]);
	else
		printf("INFO io-unclaimed: inb 0xe0..0xe3 = %02x %02x %02x %02x "
		       "(checked only under nestbench)\n", b[0], b[1], b[2], b[3]);

	for (int i = 0; i < ROUNDS;) {
		uint64_t r = rnd();
		uint16_t port = (uint16_t)r;
		unsigned size = 1u << ((r >> 16) % 3);
		uint32_t val = (uint32_t)(r >> 32);
		if (!io_ok(port, size))
			continue;
		i++;
		if (r & BIT_ULL(20)) {
			writes++;
			if (size == 1)
				outb(port, (uint8_t)val);
			else if (size == 2)
				outw(port, (uint16_t)val);
			else
				outl(port, val);
		} else {
			reads++;
			(void)(size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port));
		}
	}
	report(1, "io-random", "%d port accesses survived: %u reads, %u writes", ROUNDS, reads,
	       writes);
	return summary("io");
}

/* ---- invd ------------------------------------------------------------------ */

static int case_invd(void)
{
	/* Write back first: INVD drops dirty lines, which is harmless only where there
	 * are none (emulators; a hypervisor should run WBINVD in its place). */
	exc_arm();
	asm volatile("1: wbinvd\n invd\n2:\n" EXTABLE(1b, 2b) ::: "memory");
	int v = exc_vector();
	report(!v, "invd", "wbinvd; invd raised %s", vec_name(v));
	exc_arm();
	asm volatile("1: wbinvd\n2:\n" EXTABLE(1b, 2b) ::: "memory");
	v = exc_vector();
	report(!v, "wbinvd", "wbinvd raised %s", vec_name(v));
	return summary("invd");
}

/* ---- hypercall ------------------------------------------------------------- */

/* HC_INFO: the level, and in RBX the ABI version, in RCX the flags. */
static long hc_info(uint64_t *abi, uint64_t *flags)
{
	uint64_t d = 0;

	*abi = *flags = 0;
	return hypercall_regs(HC_INFO, abi, flags, &d);
}

/* HC_EXITS asking for one exit reason: RAX the total, *count (RBX) that reason's. */
static long hc_exits(uint64_t reason, uint64_t *count)
{
	uint64_t c = 0, d = 0;

	*count = reason;
	return hypercall_regs(HC_EXITS, count, &c, &d);
}

/* HC_EXITS's count of one reason: one CPUID between two calls adds exactly one to
 * CPUID's count, one call one to VMCALL's, and no reason asked counts 0. Only the
 * deltas are printed, so the lines read the same at every level. The total may grow
 * by more than the two (a hidden page fault under paging=shadow is an exit too). */
static void hc_exits_by_reason(void)
{
	uint64_t c0, c1, v0, v1, none = 1;
	long t0 = hc_exits(EXIT_REASON_CPUID, &c0);

	cpuid(0, 0);
	long t1 = hc_exits(EXIT_REASON_CPUID, &c1);
	bool total_grew = t0 >= 0 && t1 >= t0 + 2;
	report(total_grew && c1 == c0 + 1, "hc-exits-cpuid",
	       "one CPUID added %ld to CPUID's count (want 1)%s", (long)(c1 - c0),
	       total_grew ? "" : "; the total did not grow by at least 2");
	hc_exits(EXIT_REASON_VMCALL, &v0);
	hc_exits(EXIT_REASON_VMCALL, &v1);
	report(v1 == v0 + 1, "hc-exits-vmcall", "one HC_EXITS call added %ld to VMCALL's count (want 1)",
	       (long)(v1 - v0));
	long t = hc_exits(~0ULL, &none);
	report(t >= 0 && none == 0, "hc-exits-none", "no reason asked: RBX %lu (want 0)",
	       (unsigned long)none);
}

/* The first byte past the RAM the memory map calls available: the end of the
 * highest free range (the pool hands out the lowest addresses first). */
uint64_t ram_end(void)
{
	return frames.n ? frames.r[frames.n - 1].end : 0;
}

static int case_hypercall(void)
{
	static const char msg[] = "chaos: this line came through HC_WRITE\n";
	const struct { const char *name; unsigned long nr, a, b; long want; } calls[] = {
		{ "hc-null", HC_NULL, 0, 0, 0 },
		{ "hc-enosys-4096", 4096, 0, 0, HC_ENOSYS },
		{ "hc-enosys-deadbeef", 0xdeadbeef, 0, 0, HC_ENOSYS },
		{ "hc-enosys-all-ones", ~0UL, 0, 0, HC_ENOSYS },
		{ "hc-enosys-bit63", 1UL << 63, 0, 0, HC_ENOSYS },
		/* Identity-mapped kernel: msg's virtual address is its guest-physical one. */
		{ "hc-write", HC_WRITE, (uintptr_t)msg, sizeof(msg) - 1, sizeof(msg) - 1 },
		{ "hc-write-empty", HC_WRITE, (uintptr_t)msg, 0, 0 },
		{ "hc-write-apic", HC_WRITE, 0xfee00000, 16, HC_EFAULT },
		{ "hc-write-1tib", HC_WRITE, 1UL << 40, 16, HC_EFAULT },
		{ "hc-write-wrap", HC_WRITE, ~0UL - 10, 100, HC_EFAULT },
		/* Across 4 GiB; the length stays legal, or the answer could be HC_EINVAL. */
		{ "hc-write-4gib", HC_WRITE, 0xfffff800, 0x1000, HC_EFAULT },
		{ "hc-write-ram-end", HC_WRITE, ram_end() - 8, 16, HC_EFAULT },
		{ "hc-write-too-long", HC_WRITE, (uintptr_t)msg, HC_WRITE_MAX + 1, HC_EINVAL },
	};
	uint64_t abi, flags;

	if (!under_nestbench()) {
		printf("SKIP hypercall: no nestbench hypervisor\n");
		return EXIT_SKIP;
	}
	long level = hc_info(&abi, &flags);
	report(level >= 1 && abi == HV_ABI_VERSION, "hc-info",
	       "HC_INFO returned level %ld, ABI %lu (want >= 1, %d), flags %#lx", level, abi,
	       HV_ABI_VERSION, flags);
	for (unsigned i = 0; i < NELEMS(calls); i++) {
		long got = hypercall(calls[i].nr, calls[i].a, calls[i].b, 0);
		report(got == calls[i].want, calls[i].name,
		       "call %#lx (gpa %#lx, len %#lx) returned %ld, want %ld", calls[i].nr,
		       calls[i].a, calls[i].b, got, calls[i].want);
	}
	hc_exits_by_reason();
	return summary("hypercall");
}

/* ---- cases the hypervisor must stop ---------------------------------------- */

/* Says what comes next and drains COM1 first: the act may stop the machine, and
 * Bochs drops bytes still in the UART when it does. */
void announce(const char *fmt, ...)
{
	va_list ap;

	printf("chaos: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	console_flush();
}

int still_running(const char *c)
{
	printf("FAIL %s: still running\n", c);
	return EXIT_FAIL;
}

/* The MMIO test page (lib/hypercall.h): its ID, and a scratch register that keeps
 * what was written through 64-, 32- and 8-bit MOVs (the hypervisor decodes each). */
static int case_mmio(void)
{
	volatile uint64_t *id = (volatile uint64_t *)HV_MMIO_TEST_GPA;
	volatile uint64_t *scratch = (volatile uint64_t *)(HV_MMIO_TEST_GPA + HV_MMIO_SCRATCH);
	volatile uint32_t *scratch32 = (volatile uint32_t *)scratch;
	volatile uint8_t *scratch8 = (volatile uint8_t *)scratch;

	if (!under_nestbench()) {
		printf("SKIP mmio: no nestbench hypervisor\n");
		return EXIT_SKIP;
	}
	uint64_t got = *id;
	report(got == HV_MMIO_ID, "mmio-id", "read %#lx, want %#llx", got, HV_MMIO_ID);
	*scratch = 0x1122334455667788ULL;
	got = *scratch;
	report(got == 0x1122334455667788ULL, "mmio-64", "scratch %#lx after a 64-bit write", got);
	scratch32[1] = 0xaabbccdd;
	got = *scratch;
	report(got == 0xaabbccdd55667788ULL, "mmio-32", "scratch %#lx after a 32-bit write", got);
	scratch8[0] = 0x99;
	report(scratch8[0] == 0x99 && scratch32[0] == 0x55667799, "mmio-8",
	       "byte %#x, low word %#x after an 8-bit write", scratch8[0], scratch32[0]);
	return summary("mmio");
}

static int case_triple(void)
{
	static const struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idt;

	/* Limit 0: #UD's gate lies outside the IDT -> #GP, whose gate does too -> #DF,
	 * likewise -> triple fault (shutdown). */
	announce("loading an empty IDT and executing ud2 (triple fault)");
	cli();
	asm volatile("lidt %0\n ud2" : : "m"(idt) : "memory");
	return still_running("triple");
}

static int case_beyond_ram(void)
{
	uint64_t pa = ram_end();

	if (!pa || pa >= BOOT_IDENTITY_LIMIT) {
		printf("SKIP beyond_ram: RAM ends at %#lx, outside the 4 GiB identity map\n", pa);
		return EXIT_SKIP;
	}
	announce("reading 8 bytes at %#lx, the first byte past available RAM", pa);
	uint64_t v = *(volatile uint64_t *)(uintptr_t)pa;
	announce("read %#lx", v);
	return still_running("beyond_ram");
}

static int case_apic(void)
{
	announce("writing to the local APIC page at 0xfee00000");
	*(volatile uint32_t *)0xfee00000UL = 0xc4a05;
	return still_running("apic");
}

static int case_above_4g(void)
{
	const uint64_t va = 0x10000000000ULL;	/* 1 TiB: no boot mapping there */
	const uint64_t pa = (4ULL << 30) + (2 << 20);

	int r = pt_map(kernel_pt(), va, pa, 2 << 20, PT_2M, 0x3);
	if (r) {
		printf("FAIL above_4g: pt_map(%#lx -> %#lx) returned %d\n", va, pa, r);
		return EXIT_FAIL;
	}
	announce("reading guest-physical %#lx through va %#lx", pa, va);
	uint64_t v = *(volatile uint64_t *)va;
	announce("read %#lx", v);
	return still_running("above_4g");
}

/* rep stosq: one step per 8 bytes keeps Bochs quick. */
static void fill(uint64_t pa, uint64_t len)
{
	void *d = (void *)(uintptr_t)pa;
	uint64_t n = len / 8;

	asm volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0xccccccccccccccccULL) : "memory");
}

static int case_ram_sweep(void)
{
	const uint64_t pat = 0xccccccccccccccccULL;
	uint64_t total = 0, first = 0, pa;
	unsigned bad = 0;

	printf("chaos: writing 0xcc to all %lu MiB of free RAM\n",
	       frame_free_bytes(&frames) >> 20);
	/* Aligned 2 MiB blocks first, then whatever 4 KiB frames are left. */
	for (uint64_t chunk = 2 << 20; chunk; chunk = chunk > FRAME_SIZE ? FRAME_SIZE : 0) {
		while ((pa = frame_alloc(&frames, chunk, chunk, BOOT_IDENTITY_LIMIT))) {
			fill(pa, chunk);
			volatile uint64_t *p = (uint64_t *)(uintptr_t)pa;
			bad += (p[0] != pat) + (p[chunk / 8 - 1] != pat);
			first = first ? first : pa;
			total += chunk;
		}
	}
	/* The first block once more, now that everything else has been written. */
	for (uint64_t off = 0; first && off < (2 << 20); off += 0x40000)
		bad += *(volatile uint64_t *)(uintptr_t)(first + off) != pat;
	printf("chaos: wrote %lu MiB (%lu KiB) from %#lx on; %u read-backs differ\n",
	       total >> 20, total >> 10, first, bad);
	return bad ? EXIT_FAIL : EXIT_OK;
}

static int case_loop(void)
{
	volatile uint64_t n = 0;

	announce("spinning forever");
	for (;;)
		n++;
	return still_running("loop");	/* not reached */
}

static int case_hlt(void)
{
	announce("cli; hlt");
	cli();
	hlt();
	return still_running("hlt");
}

/* ---- main ------------------------------------------------------------------ */

static const char *const case_names[] = {
	"cr", "msr", "io", "invd", "hypercall", "mmio", "vmx",
	"triple", "beyond_ram", "apic", "above_4g", "ram_sweep", "loop", "hlt",
	"pte_escape",
};
static int (*const case_fns[])(void) = {
	case_cr, case_msr, case_io, case_invd, case_hypercall, case_mmio, case_vmx,
	case_triple, case_beyond_ram, case_apic, case_above_4g, case_ram_sweep, case_loop,
	case_hlt, case_pte_escape,
};
_Static_assert(NELEMS(case_names) == NELEMS(case_fns), "case tables differ");

/* Cases after which the machine is as it was, so another case may follow in the
 * same run; any other case (stopped by the hypervisor, or ram_sweep, which takes
 * every free frame) may only come last. */
static bool case_returns(const char *name)
{
	static const char *const returns[] = {
		"cr", "msr", "io", "invd", "hypercall", "mmio", "vmx",
	};
	for (unsigned i = 0; i < NELEMS(returns); i++)
		if (!strcmp(name, returns[i]))
			return true;
	return false;
}

/* The index of the case named by s[0..len), or -1. */
static int case_index(const char *s, size_t len)
{
	for (unsigned i = 0; i < NELEMS(case_names); i++)
		if (strlen(case_names[i]) == len && !memcmp(s, case_names[i], len))
			return (int)i;
	return -1;
}

/* case=A,B,...: parses the list into idx[] (at most max); returns how many, or -1
 * after printing why not. */
static int parse_cases(const char *list, int *idx, int max)
{
	int n = 0;

	for (const char *p = list;; p++) {
		size_t len = 0;
		while (p[len] && p[len] != ',')
			len++;
		int i = case_index(p, len);
		if (i < 0) {
			printf("error: unknown case '%.*s'", (int)len, p);
			return -1;
		}
		if (n > 0 && !case_returns(case_names[idx[n - 1]])) {
			printf("error: case %s must come last in a list", case_names[idx[n - 1]]);
			return -1;
		}
		if (n == max) {
			printf("error: more than %d cases", max);
			return -1;
		}
		idx[n++] = i;
		p += len;
		if (!*p)
			return n;
	}
}

/* Several cases in one run: each prints its own checks and summary as it would
 * alone, then one line for the run. Status: EXIT_FAIL if a case failed (or ended
 * otherwise than 0 or EXIT_SKIP), EXIT_SKIP if every case skipped, else 0. */
static int run_cases(const int *idx, int n)
{
	unsigned ok = 0, failed = 0, skipped = 0;

	for (int i = 0; i < n; i++) {
		printf("chaos: case=%s\n", case_names[idx[i]]);
		report_counts = (struct report_counts){ 0, 0, 0 };
		int r = case_fns[idx[i]]();
		ok += r == EXIT_OK;
		skipped += r == EXIT_SKIP;
		failed += r != EXIT_OK && r != EXIT_SKIP;
	}
	if (n > 1)
		printf("chaos: %d cases: %u ok, %u failed, %u skipped\n", n, ok, failed, skipped);
	return failed ? EXIT_FAIL : ok ? EXIT_OK : EXIT_SKIP;
}

int main(void)
{
	static const char *const keys[] = { "case", "seed", "count", NULL };
	char list[256];
	int idx[2 * NELEMS(case_names)], n = -1;
	uint64_t seed = 0;

	boot_check_args(keys);
	int s = cmdline_get_u64(boot.cmdline, "seed", &seed);
	if (cmdline_get(boot.cmdline, "case", list, sizeof(list)) < 0)
		printf("error: no case= given");
	else if ((n = parse_cases(list, idx, (int)NELEMS(idx))) < 0)
		;
	else if (s == -2 || (s == 0 && !seed))
		printf("error: seed= takes a number > 0");
	if (n < 0 || s == -2 || (s == 0 && !seed)) {
		printf("; chaos takes case=NAME[,NAME...] [seed=N] [count=N]; cases:");
		for (unsigned i = 0; i < NELEMS(case_names); i++)
			printf(" %s", case_names[i]);
		printf("\n");
		return EXIT_BADARGS;
	}
	if (s == 0)
		rng = seed;	/* xorshift's state must not be 0: checked above */
	return run_cases(idx, n);
}
