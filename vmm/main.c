/* main.c - the nestbench hypervisor: runs module 1 as its guest under VT-x with EPT.
 * Its command line is documented once, in usage[] below (help=1 prints it). */
#include "cmdline.h"
#include "console.h"
#include "cpu.h"
#include "cr.h"
#include "exit.h"
#include "exits.h"
#include "hypercall.h"
#include "kernel.h"
#include "level.h"
#include "loader.h"
#include "nested/shadow_vmcs.h"
#include "printf.h"
#include "shadow/shadow.h"
#include "string.h"
#include "vmcs.h"
#include "vmx_setup.h"

struct hv_config cfg;
char cfg_desc[128];
int hv_level;

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

static const char *const keys[] = {
	"ept", "ept_levels", "ept_ad", "vpid", "pmu", "trap_ud", "mem", "timeout", "fail_entry",
	"nested", "shadow", "paging", "help", NULL,
};

static const char usage[] =
	"usage: hv.elf [key=value ...] with the guest kernel as module 1\n"
	"  ept=4k|2m|1g      EPT page size backing guest RAM            (default 2m)\n"
	"  ept_levels=4|5    EPT page-walk length                        (default 4)\n"
	"  ept_ad=on|off     EPT accessed/dirty flags                    (default off)\n"
	"  vpid=on|off       tag the guest's TLB entries with a VPID     (default on)\n"
	"  pmu=on|off        pass the PMU counters through, no exits     (default off)\n"
	"  trap_ud=on|off    intercept the guest's #UD and reflect it    (default off)\n"
	"  mem=SIZE          guest RAM (k/m/g suffixes), 2m..3g          (default 64m,\n"
	"                    or less when less is free: all but 8m of it)\n"
	"  timeout=TICKS     stop the guest after this many TSC ticks    (default: never)\n"
	"  nested=on|off     offer the guest VMX (to run a hypervisor)   (default on)\n"
	"  paging=ept|shadow EPT, or shadow page tables without EPT      (default ept)\n"
	"  shadow=on|off     with nested=on, VMCS shadowing: the guest hypervisor's\n"
	"                    VMREAD/VMWRITE of guest state exit no more (default on where\n"
	"                    the CPU has it; on without it: skip, 77)\n"
	"  fail_entry=guest|control   test only: make VM entry fail on purpose\n"
	"  help=1            print this and exit\n"
	"Module 1's string is the guest's command line; further modules are handed down.\n"
	"Exit status: the guest's (port 0xf4), 5 if the guest had to be stopped, 4 for bad\n"
	"arguments or an unloadable guest, 1 if guest RAM does not fit, 77 without VT-x\n"
	"or a needed EPT feature (or VMCS shadowing, asked for with shadow=on).\n";

static bool onoff(const char *key, bool dflt)
{
	static const char *const v[] = { "off", "on" };
	int i;
	int r = cmdline_get_choice(boot.cmdline, key, v, 2, &i);

	if (r == -2) {
		printf("hv: error: %s= takes on or off\n", key);
		exit(EXIT_BADARGS);
	}
	return r == 0 ? i : dflt;
}

/* The default guest RAM: 64 MiB (one page when EPT pages are larger), or less where
 * the hypervisor has less, so that a stack of hypervisors needs no mem= at every
 * level. What is left for the hypervisor itself after guest RAM is HV_OWN_ROOM:
 * its EPT (at most 140 KiB for 64 MiB of 4 KiB pages), VMCSs and bitmaps, and with
 * nested=on the EPT02s for its guest's guests (vmcs02.c, two, each about as small).
 * Guest RAM is one block aligned to the EPT page (setup_guest_memory), so the
 * largest such block bounds it too. */
#define HV_DEFAULT_MEM ((uint64_t)64 << 20)
#define HV_OWN_ROOM ((uint64_t)8 << 20)
static uint64_t default_mem(uint64_t page)
{
	uint64_t block = 0, free = frame_free_bytes(&frames);

	for (unsigned i = 0; i < frames.n; i++) {
		uint64_t base = (frames.r[i].base + page - 1) & ~(page - 1);
		if (frames.r[i].end > base && frames.r[i].end - base > block)
			block = frames.r[i].end - base;
	}
	uint64_t fit = free > HV_OWN_ROOM ? free - HV_OWN_ROOM : 0;
	fit = (fit < block ? fit : block) & ~(page - 1);
	uint64_t want = (HV_DEFAULT_MEM + page - 1) & ~(page - 1);

	/* Where even 2 MiB does not fit (or no whole 1 GiB page), the default stays and
	 * setup_guest_memory refuses it, naming what to change. */
	return fit >= (2ULL << 20) && fit < want ? fit : want;
}

static void parse_config(const struct level_info *below)
{
	static const char *const pages[] = { "4k", "2m", "1g" };
	static const char *const levels[] = { "4", "5" };
	static const char *const fails[] = { "none", "guest", "control" };
	int i;

	boot_check_args(keys);
	if (cmdline_has(boot.cmdline, "help")) {
		console_write(usage, sizeof(usage) - 1);
		exit(EXIT_OK);
	}
	cfg.ept_page = PT_2M;
	if (cmdline_get_choice(boot.cmdline, "ept", pages, 3, &i) == 0)
		cfg.ept_page = (enum pt_page)(PT_4K + i);
	else if (cmdline_has(boot.cmdline, "ept"))
		goto bad;
	cfg.ept_levels = 4;
	if (cmdline_get_choice(boot.cmdline, "ept_levels", levels, 2, &i) == 0)
		cfg.ept_levels = 4 + i;
	else if (cmdline_has(boot.cmdline, "ept_levels"))
		goto bad;
	if (cmdline_get_choice(boot.cmdline, "fail_entry", fails, 3, &i) == 0)
		cfg.fail_entry = i;
	else if (cmdline_has(boot.cmdline, "fail_entry"))
		goto bad;
	cfg.ept_ad = onoff("ept_ad", false);
	cfg.vpid = onoff("vpid", true);
	cfg.pmu = onoff("pmu", false);
	cfg.trap_ud = onoff("trap_ud", false);
	cfg.nested = onoff("nested", true);
	cfg.shadow = onoff("shadow", true);
	static const char *const pagings[] = { "ept", "shadow" };
	if (cmdline_get_choice(boot.cmdline, "paging", pagings, 2, &i) == 0)
		cfg.shadow_paging = i;
	else if (cmdline_has(boot.cmdline, "paging"))
		goto bad;
	/* A guest hypervisor's EPT is composed with ours (vmm/nested/ept02.c). */
	if (cfg.shadow_paging && cfg.nested) {
		if (cmdline_has(boot.cmdline, "nested")) {
			printf("hv: error: paging=shadow cannot run nested=on: a guest "
			       "hypervisor's EPT needs EPT below it\n");
			exit(EXIT_BADARGS);
		}
		cfg.nested = false;
	}
	cfg.mem = 0;
	if (cmdline_get_u64(boot.cmdline, "mem", &cfg.mem) == -2 ||
	    cmdline_get_u64(boot.cmdline, "timeout", &cfg.timeout) == -2)
		goto bad;
	if (!cmdline_has(boot.cmdline, "mem"))
		cfg.mem = default_mem(PT_PAGE_BYTES(cfg.ept_page));
	if (cfg.mem < (2ULL << 20) || cfg.mem > (3ULL << 30)) {
		printf("hv: error: mem= takes 2m to 3g\n");
		exit(EXIT_BADARGS);
	}
	char runs_on[24];
	level_below_desc(below, runs_on, sizeof(runs_on));
	sformat(cfg_desc, sizeof(cfg_desc), "ept:%s,levels:%d,ad:%s,vpid:%s,pmu:%s,trap_ud:%s"
		",nested:%s,below:%s,paging:%s",
		pages[cfg.ept_page - PT_4K], cfg.ept_levels, cfg.ept_ad ? "on" : "off",
		cfg.vpid ? "on" : "off", cfg.pmu ? "on" : "off", cfg.trap_ud ? "on" : "off",
		cfg.nested ? "on" : "off", runs_on, pagings[cfg.shadow_paging]);
	return;
bad:
	printf("hv: error: bad value in '%s'\n", boot.cmdline);
	console_write(usage, sizeof(usage) - 1);
	exit(EXIT_BADARGS);
}

/* FNV-1a over the hypervisor's text, read-only data and data: a guest that could
 * write hypervisor memory would change it. (.bss holds the run's state and is
 * expected to change.) */
extern char __kernel_start[], __bss_start[];
static uint64_t self_checksum(void)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (void *)__kernel_start; p < (unsigned char *)__bss_start; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return h;
}

static void check_ept_caps(void)
{
	uint64_t c = caps.ept_vpid;
	const char *missing = NULL;

	if (!(c & VMX_EPTP_WB_BIT))
		missing = "write-back EPT paging structures";
	else if (cfg.ept_levels == 4 && !(c & VMX_EPT_PAGE_WALK_4_BIT))
		missing = "4-level EPT";
	else if (cfg.ept_levels == 5 && !(c & VMX_EPT_PAGE_WALK_5_BIT))
		missing = "5-level EPT (ept_levels=5)";
	else if (cfg.ept_page == PT_2M && !(c & VMX_EPT_2MB_PAGE_BIT))
		missing = "2 MiB EPT pages (ept=2m)";
	else if (cfg.ept_page == PT_1G && !(c & VMX_EPT_1GB_PAGE_BIT))
		missing = "1 GiB EPT pages (ept=1g)";
	else if (cfg.ept_ad && !(c & VMX_EPT_AD_BIT))
		missing = "EPT accessed/dirty flags (ept_ad=on)";
	else if (!(c & VMX_EPT_INVEPT_BIT) || !(c & VMX_EPT_EXTENT_CONTEXT_BIT))
		missing = "single-context INVEPT";
	else if (cfg.vpid && (!(c & VMX_VPID_INVVPID_BIT) ||
			      !(c & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT)))
		missing = "single-context INVVPID (vpid=on)";
	if (missing) {
		printf("hv: this CPU has no %s (IA32_VMX_EPT_VPID_CAP %#lx); skipping\n", missing, c);
		exit(EXIT_SKIP);
	}
}

/* shadow=: on by default where the CPU can do it, and only with nested=on; asked
 * for explicitly on a CPU that cannot, the run is skipped. Then the records say. */
static void check_shadow_caps(void)
{
	const char *missing = shadow_unsupported(caps.proc2, caps.misc);

	if (cfg.nested && cfg.shadow && missing) {
		if (cmdline_has(boot.cmdline, "shadow")) {
			printf("hv: shadow=on unsupported: this CPU has %s; skipping\n", missing);
			exit(EXIT_SKIP);
		}
		cfg.shadow = false;
	}
	cfg.shadow = cfg.shadow && cfg.nested;
	size_t n = strlen(cfg_desc);
	sformat(cfg_desc + n, sizeof(cfg_desc) - n, ",shadow:%s", cfg.shadow ? "on" : "off");
}

/* Guest RAM: one naturally aligned block, so that EPT can map it with pages of the
 * chosen size and map nothing but it. It comes from the frame pool, i.e. memory the
 * hypervisor has never stored anything in, so it is not cleared: clearing 1 GiB costs
 * half a minute under Bochs, and the loader zeroes what a multiboot loader must
 * (the kernel's .bss and the info area). */
static void setup_guest_memory(struct vcpu *v)
{
	uint64_t page = PT_PAGE_BYTES(cfg.ept_page);

	v->ram_size = (cfg.mem + page - 1) & ~(page - 1);
	v->ram_hpa = frame_alloc(&frames, v->ram_size, page, BOOT_IDENTITY_LIMIT);
	if (!v->ram_hpa) {
		printf("hv: cannot allocate %lu MiB of guest RAM aligned to %lu MiB "
		       "(%lu MiB free; give this hypervisor a smaller mem=, or the platform "
		       "more memory: scripts/boot --mem, or mem= of the hypervisor below)\n",
		       v->ram_size >> 20, page >> 20, frame_free_bytes(&frames) >> 20);
		exit(EXIT_FAIL);
	}
	v->vpid = 1;
	if (cfg.shadow_paging) {
		shadow_init(v);
	} else {
		if (ept_init(&v->ept, cfg.ept_levels, cfg.ept_ad, frames_get_table,
			     frames_table_ptr, NULL) ||
		    ept_map(&v->ept, 0, v->ram_hpa, v->ram_size, cfg.ept_page))
			panic("building the EPT failed");
		v->eptp = ept_pointer(&v->ept);
		/* Stale translations for this EPTP or VPID must not survive (28.4.3). */
		if (invept(VMX_EPT_EXTENT_CONTEXT, v->eptp))
			panic("INVEPT failed");
	}
	if (cfg.vpid && invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, v->vpid, 0))
		panic("INVVPID failed");
}

/* The guest's command line is module 1's string, plus what the guest's records need
 * to say where they ran: the platform and this hypervisor's configuration. */
static void load_guest(struct vcpu *v, struct loader_result *res)
{
	static char guest_cmdline[BOOT_CMDLINE_MAX];
	struct loader_module mods[BOOT_MAX_MODULES];
	char err[160];

	if (boot.nmods == 0) {
		printf("hv: error: no guest; give the guest kernel as module 1\n");
		exit(EXIT_BADARGS);
	}
	const struct boot_module *k = &boot.mods[0];
	int len = sformat(guest_cmdline, sizeof(guest_cmdline),
			  "%s platform=%s hvconfig=%s", k->cmdline, boot_platform(), cfg_desc);
	if (len >= (int)sizeof(guest_cmdline)) {
		printf("hv: error: the guest's command line is too long\n");
		exit(EXIT_BADARGS);
	}
	for (unsigned i = 1; i < boot.nmods; i++)
		mods[i - 1] = (struct loader_module){
			(const void *)(uintptr_t)boot.mods[i].start,
			boot.mods[i].end - boot.mods[i].start, boot.mods[i].cmdline,
		};
	struct gmem g = { gpa_ptr(v, 0), v->ram_size };
	if (loader_load(&g, (const void *)(uintptr_t)k->start, k->end - k->start, guest_cmdline,
			mods, boot.nmods - 1, res, err, sizeof(err))) {
		printf("hv: error: cannot load the guest (module 1, '%s'): %s\n", k->cmdline, err);
		exit(EXIT_BADARGS);
	}
}

int main(void)
{
	static const char *const page_names[] = { "", "4k", "2m", "1g" };
	struct vcpu *v = &vcpu;
	struct loader_result res;
	char why[160];

	struct level_info below;
	level_detect(&below);
	hv_level = below.level;
	parse_config(&below);
	printf("hv: nestbench hypervisor at level %d on %s; ept=%s ept_levels=%d ept_ad=%s "
	       "vpid=%s pmu=%s trap_ud=%s mem=%luM\n", hv_level, boot_platform(),
	       page_names[cfg.ept_page], cfg.ept_levels, cfg.ept_ad ? "on" : "off",
	       cfg.vpid ? "on" : "off", cfg.pmu ? "on" : "off", cfg.trap_ud ? "on" : "off",
	       cfg.mem >> 20);
	if (vmx_detect(why, sizeof(why))) {
		printf("hv: VT-x unavailable: %s; skipping\n", why);
		return EXIT_SKIP;
	}
	check_ept_caps();
	check_shadow_caps();
	/* Nothing may interrupt us: external interrupts would exit for ever. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	/* XSETBV on the guest's behalf needs CR4.OSXSAVE in the host. */
	if (cpuid(1, 0).c & CPUID_1_ECX_XSAVE)
		write_cr4(read_cr4() | CR4_OSXSAVE);
	cpuid_setup();

	vmx_enable();
	setup_guest_memory(v);
	load_guest(v, &res);
	printf("hv: guest '%s' loaded: entry %#x, image %#lx-%#lx, %lu MiB RAM at host %#lx\n",
	       boot.mods[0].cmdline, res.entry, res.image_lo, res.image_hi, v->ram_size >> 20,
	       v->ram_hpa);
	vmcs_alloc(&v->vmcs01);
	vcpu_load_vmcs(v, &v->vmcs01, LEVEL_L1);
	if (vmcs_setup(v, &res))
		return EXIT_SKIP;
	if (cfg.timeout) {
		unsigned rate = VMX_MISC_PREEMPTION_RATE(caps.misc);
		uint64_t ticks = cfg.timeout >> rate ? cfg.timeout >> rate : 1;
		uint64_t first = ticks > 0xffffffffu ? 0xffffffffu : ticks;
		v->timer_left = ticks - first;
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, (uint32_t)first);
	}

	uint64_t sum_before = self_checksum();
	int status = vcpu_run(v);
	uint64_t sum_after = self_checksum();

	stats_print();
	if (cfg.shadow_paging)
		shadow_print();
	printf("hv: self-checksum of text+data %#lx before the guest, %#lx after: %s\n",
	       sum_before, sum_after, sum_before == sum_after ? "unchanged" : "CHANGED");
	if (sum_before != sum_after)
		return EXIT_FAIL;
	printf("hv: exiting with status %d (%s)\n", status,
	       v->stopped ? "guest stopped by the hypervisor" : "the guest's own status");
	return status;
}
