/* vmx.c - chaos case vmx: a guest hypervisor's first steps, wrong ones included.
 * VMX instructions with CR4.VMXE clear, before VMXON and after VMXOFF; VMXON with
 * bad regions and twice; CR0/CR4 changes that VMX operation forbids;
 * VMPTRLD/VMCLEAR of bad, reserved and foreign (beyond RAM) pointers; VMPTRST;
 * VMREAD and VMWRITE of fields that do not exist, are read-only or narrower than
 * the value; pointers at unmapped and non-canonical addresses; VMRESUME of a clear
 * VMCS, VMLAUNCH with invalid (all-zero) controls and with no current VMCS; one
 * real VMLAUNCH (vmcs_self.c), then VMLAUNCH of the launched VMCS and VMRESUME;
 * INVEPT and INVVPID of supported and unsupported types; VMXOFF. Each answer is
 * checked against the SDM (a PASS/FAIL line) and printed as "vmx: name=answer",
 * lines which must be the same on bare hardware with VMX (Bochs) and under a
 * hypervisor that offers VMX (hv.elf nested=on). An answer is
 * #UD, #GP, #PF(error), ok, invalid (VMfailInvalid) or valid(N) (VMfailValid with
 * VM-instruction error N). EXIT_SKIP where VMX is not offered. */
#include "chaos.h"
#include "cpu.h"
#include "cr.h"
#include "exit.h"
#include "kernel.h"
#include "msr.h"
#include "printf.h"
#include "report.h"
#include "string.h"
#include "vmx.h"

#define MISC_VMWRITE_ANY     (1ULL << 29)
#define UNMAPPED             0x100000000ULL   /* above the 4 GiB identity map */
#define NONCANONICAL         0x0000800000000000ULL
/* A physical address beyond RAM (runs here have less than 4 GiB) and within any
 * physical-address width (at least 36 bits): no VMCS region can be there. */
#define FOREIGN              0x100000000ULL
#define VPID_ANY             1

static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_a[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_bad[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_self[4096] __attribute__((aligned(4096)));

/* INVEPT's and INVVPID's 128-bit descriptor (30.3): EPTP or VPID, then an address. */
struct inv_desc {
	uint64_t lo, hi;
};


/* The answer of the last instruction: an exception vector, else its flags. */
static const char *answer(int vec, uint8_t cf, uint8_t zf, char *buf, size_t n);

#define VMX_RESULT(insn_asm, ...)                                                   \
	({                                                                          \
		uint8_t cf_ = 0, zf_ = 0;                                           \
		exc_arm();                                                          \
		asm volatile("1: " insn_asm "\n\tsetc %0\n\tsetz %1\n2:\n" EXTABLE(1b, 2b) \
			     : "+r"(cf_), "+r"(zf_), __VA_ARGS__);                  \
		answer(exc_vector(), cf_, zf_, buf_, sizeof(buf_));                 \
	})

static char buf_[48];

static uint64_t vmread_error(void)
{
	uint64_t e = ~0ULL;

	asm volatile("vmread %1, %0" : "=r"(e) : "r"((uint64_t)VM_INSTRUCTION_ERROR) : "cc");
	return e;
}

static const char *answer(int vec, uint8_t cf, uint8_t zf, char *buf, size_t n)
{
	if (vec == EXC_PF)
		snprintf(buf, n, "#PF(%lx,%lx)", exc_caught.error_code, exc_caught.cr2);
	else if (vec) {  /* the mnemonic, "#GP", of "#GP general protection" */
		const char *name = exc_name(vec);
		int len = 0;
		while (name[len] && name[len] != ' ')
			len++;
		snprintf(buf, n, "%.*s", len, name);
	}
	else if (cf)
		snprintf(buf, n, "invalid");
	else if (zf)
		snprintf(buf, n, "valid(%lu)", vmread_error());
	else
		snprintf(buf, n, "ok");
	return buf;
}

static const char *vmxon(uint64_t pa)
{
	return VMX_RESULT("vmxon %2", "+m"(pa) : : "memory", "cc");
}
static const char *vmclear(uint64_t pa)
{
	return VMX_RESULT("vmclear %2", "+m"(pa) : : "memory", "cc");
}
static const char *vmptrld(uint64_t pa)
{
	return VMX_RESULT("vmptrld %2", "+m"(pa) : : "memory", "cc");
}
static const char *vmptrld_at(uint64_t *p)
{
	return VMX_RESULT("vmptrld (%2)", "+r"(p) : : "memory", "cc");
}
static const char *vmptrst_at(uint64_t *p)
{
	return VMX_RESULT("vmptrst (%2)", "+r"(p) : : "memory", "cc");
}
static const char *vmread(uint64_t enc, uint64_t *val)
{
	return VMX_RESULT("vmread %3, %2", "+r"(*val) : "r"(enc) : "memory", "cc");
}
static const char *vmread_mem(uint64_t enc, uint64_t *val)
{
	return VMX_RESULT("vmread %3, (%2)", "+r"(val) : "r"(enc) : "memory", "cc");
}
static const char *vmwrite(uint64_t enc, uint64_t val)
{
	return VMX_RESULT("vmwrite %2, %3", "+r"(val) : "r"(enc) : "memory", "cc");
}
static const char *vmlaunch(void)
{
	return VMX_RESULT("vmlaunch", "+m"(buf_) : : "memory", "cc");
}
static const char *vmresume(void)
{
	return VMX_RESULT("vmresume", "+m"(buf_) : : "memory", "cc");
}
static const char *vmxoff(void)
{
	return VMX_RESULT("vmxoff", "+m"(buf_) : : "memory", "cc");
}
static const char *invept(uint64_t type, struct inv_desc d)
{
	return VMX_RESULT("invept %2, %3", "+m"(d) : "r"(type) : "memory", "cc");
}
static const char *invvpid(uint64_t type, struct inv_desc d)
{
	return VMX_RESULT("invvpid %2, %3", "+m"(d) : "r"(type) : "memory", "cc");
}

/* VMLAUNCH or VMRESUME (insn) of the VMCS vmcs_self.c filled, with HOST_RSP and
 * HOST_RIP this very point: the VM exit comes back where a VM-entry failure goes
 * on, with RFLAGS cleared (27.5.3), which answer() reads as "ok". The guest's CPUID
 * has changed RAX-RDX by then. */
#define ENTER_SELF(insn)                                                            	({                                                                          		uint8_t cf_ = 0, zf_ = 0;                                           		exc_arm();                                                          		asm volatile("lea 3f(%%rip), %%rax\n\tvmwrite %%rax, %2\n\t"       			     "vmwrite %%rsp, %3\n"                                  			     "1: " insn "\n3:\tsetc %0\n\tsetz %1\n2:\n" EXTABLE(1b, 2b) 			     : "+r"(cf_), "+r"(zf_)                                 			     : "r"((uint64_t)HOST_RIP), "r"((uint64_t)VMCS_HOST_RSP)  			     : "rax", "rbx", "rcx", "rdx", "memory", "cc");         		answer(exc_vector(), cf_, zf_, buf_, sizeof(buf_));                 	})

/* Records one answer: on its account line, and as a check against want. */
static void note(const char *name, const char *got, const char *want)
{
	printf("vmx: %s=%s\n", name, got);
	report(!strcmp(got, want), name, "answered %s, want %s", got, want);
}

static const char *exc(int vec)
{
	return answer(vec, 0, 0, buf_, sizeof(buf_));
}

/* Every VMX instruction but VMXON is #UD outside VMX operation, and all of them
 * with CR4.VMXE clear (30.3), before any operand is looked at. */
static void outside_vmx(const char *when)
{
	uint64_t val = 0, a = (uintptr_t)vmcs_a;
	struct inv_desc d = { 0, 0 };
	char name[48];

#define UD(insn, answer) \
	(snprintf(name, sizeof(name), "%s-%s", insn, when), note(name, answer, "#UD"))
	UD("vmptrld", vmptrld(a));
	UD("vmread", vmread(GUEST_RIP, &val));
	UD("vmwrite", vmwrite(GUEST_RIP, 0));
	UD("vmlaunch", vmlaunch());
	UD("invept", invept(VMX_EPT_EXTENT_GLOBAL, d));
	UD("invvpid", invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, d));
#undef UD
}

static int enter_vmx_possible(uint64_t *cr4)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	/* Firmware would lock it; a bare platform may leave that to us. */
	if (!(fc & FEATURE_CONTROL_LOCKED))
		wrmsr(MSR_IA32_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON_OUTSIDE_SMX);
	else if (!(fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX))
		return -1;
	write_cr0(read_cr0() | rdmsr(MSR_IA32_VMX_CR0_FIXED0));
	*cr4 = read_cr4();
	note("vmxon-novmxe", vmxon((uintptr_t)vmxon_region), "#UD");
	outside_vmx("novmxe");
	note("cr4-set-vmxe", exc(write_cr4_safe(*cr4 | CR4_VMXE)), "ok");
	*cr4 |= CR4_VMXE;
	outside_vmx("before-vmxon");
	return 0;
}

/* GDTR's and IDTR's limits, as a check's answer. */
static const char *dt_limits(void)
{
	struct dtr g, i;

	asm volatile("sgdt %0\n\tsidt %1" : "=m"(g), "=m"(i));
	snprintf(buf_, sizeof(buf_), "%x,%x", g.limit, i.limit);
	return buf_;
}

/* The basic exit reason of the last VM exit, as a check's answer. */
static const char *exit_reason(void)
{
	uint64_t r = 0;

	vmread(VM_EXIT_REASON, &r);
	snprintf(buf_, sizeof(buf_), "%lu", r & 0xffff);
	return buf_;
}

/* The first INVEPT or INVVPID type (0..n-1) whose bit in IA32_VMX_EPT_VPID_CAP,
 * bits[type], is clear (0 for no bit: not a type), else n: all are unsupported
 * (30.3: VMfailValid 28). */
static uint64_t unsupported_type(uint64_t cap, const uint64_t *bits, unsigned n)
{
	for (unsigned t = 0; t < n; t++)
		if (!(cap & bits[t]))
			return t;
	return n;
}

static const char *ok_if(uint64_t cap, uint64_t bit)
{
	return (cap & bit) ? "ok" : "valid(28)";
}

/* One real VM entry, of this kernel as its own guest, which exits at its CPUID:
 * then the VMCS is launched (VMLAUNCH: VMfailValid 4; VMRESUME enters), and the
 * invalidations have a current VMCS to report their VMfailValid in. */
static void run_self(void)
{
	static const uint64_t ept_types[] = { 0, VMX_EPT_EXTENT_CONTEXT_BIT,
					      VMX_EPT_EXTENT_GLOBAL_BIT };
	static const uint64_t vpid_types[] = {
		VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT, VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT,
		VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT, VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT,
	};
	uint64_t self = (uintptr_t)vmcs_self, eptp, cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	uint32_t rev = (uint32_t)rdmsr(MSR_IA32_VMX_BASIC) & 0x7fffffff;

	memcpy(vmcs_self, &rev, 4);
	note("vmclear-self", vmclear(self), "ok");
	note("vmptrld-self", vmptrld(self), "ok");
	if (vmcs_self_fill(&eptp)) {
		report(REPORT_SKIP, "vmlaunch-self", "no EPT with 4 levels, WB and 2 MiB pages, "
		       "or no EFER load/save controls");
		return;
	}
	note("vmlaunch-self", ENTER_SELF("vmlaunch"), "ok");
	note("vmlaunch-self-exit", exit_reason(), "10");
	note("vmexit-dt-limits", dt_limits(), "ffff,ffff");
	note("vmlaunch-launched", ENTER_SELF("vmlaunch"), "valid(4)");
	note("vmresume-self", ENTER_SELF("vmresume"), "ok");
	note("vmresume-self-exit", exit_reason(), "10");
	vmcs_self_tables();

	struct inv_desc ept = { eptp, 0 }, vpid = { VPID_ANY, 0 };
	note("invept-unsupported", invept(unsupported_type(cap, ept_types, 3), ept), "valid(28)");
	note("invept-single", invept(VMX_EPT_EXTENT_CONTEXT, ept),
	     ok_if(cap, VMX_EPT_EXTENT_CONTEXT_BIT));
	note("invept-all", invept(VMX_EPT_EXTENT_GLOBAL, ept), ok_if(cap, VMX_EPT_EXTENT_GLOBAL_BIT));
	note("invvpid-unsupported", invvpid(unsupported_type(cap, vpid_types, 4), vpid),
	     "valid(28)");
	note("invvpid-single", invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, vpid),
	     ok_if(cap, VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT));
	note("invvpid-all", invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, vpid),
	     ok_if(cap, VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT));
	/* Bad descriptors of supported types: an EPTP no VM entry would take (page-walk
	 * length 1), VPID 0 but for all-context, a non-canonical address to flush. */
	if (cap & VMX_EPT_EXTENT_CONTEXT_BIT)
		note("invept-single-bad-eptp", invept(VMX_EPT_EXTENT_CONTEXT,
						      (struct inv_desc){ VMX_EPTP_MT_WB, 0 }),
		     "valid(28)");
	if (cap & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT)
		note("invvpid-single-vpid0", invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT,
						     (struct inv_desc){ 0, 0 }), "valid(28)");
	if (cap & VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT)
		note("invvpid-addr-noncanonical", invvpid(VMX_VPID_EXTENT_INDIVIDUAL_ADDR,
							  (struct inv_desc){ VPID_ANY, NONCANONICAL }),
		     "valid(28)");
}

int case_vmx(void)
{
	uint64_t cr4, val, none = ~0ULL;
	char want[48];

	if (!(cpuid(1, 0).c & CPUID_1_ECX_VMX)) {
		report(REPORT_SKIP, "vmx", "VMX is not offered (CPUID.1:ECX[5] clear)");
		return EXIT_SKIP;
	}
	if (enter_vmx_possible(&cr4)) {
		report(REPORT_SKIP, "vmx", "IA32_FEATURE_CONTROL is locked with VMXON off");
		return EXIT_SKIP;
	}
	uint32_t rev = (uint32_t)rdmsr(MSR_IA32_VMX_BASIC) & 0x7fffffff;
	uint64_t misc = rdmsr(MSR_IA32_VMX_MISC);
	uint64_t on = (uintptr_t)vmxon_region, a = (uintptr_t)vmcs_a, bad = (uintptr_t)vmcs_bad;
	memcpy(vmxon_region, &rev, 4);
	memcpy(vmcs_a, &rev, 4);
	uint32_t wrong = (rev + 1) & 0x7fffffff;
	memcpy(vmcs_bad, &wrong, 4);

	note("vmxon-unaligned", vmxon(on + 8), "invalid");
	note("vmxon-badrev", vmxon(bad), "invalid");
	note("vmxon", vmxon(on), "ok");
	note("cr4-clear-vmxe", exc(write_cr4_safe(cr4 & ~CR4_VMXE)), "#GP");
	note("cr0-clear-ne", exc(write_cr0_safe(read_cr0() & ~CR0_NE)), "#GP");
	note("vmxon-again-nocurrent", vmxon(on), "invalid");
	val = 0;
	note("vmptrst-none", vmptrst_at(&val), "ok");
	note("vmptrst-none-value", val == none ? "ffs" : "other", "ffs");
	note("vmptrld-unaligned-nocurrent", vmptrld(a + 1), "invalid");
	note("vmclear-a", vmclear(a), "ok");
	note("vmptrld-a", vmptrld(a), "ok");
	/* The launch state comes first (30.3); then the controls, here all 0, which
	 * lack the pin-based controls' default-1 bits (26.2.1.1). */
	note("vmresume-clear", vmresume(), "valid(5)");
	note("vmlaunch-zero-controls", vmlaunch(), "valid(7)");
	val = 0;
	note("vmptrst", vmptrst_at(&val), "ok");
	note("vmptrst-value", val == a ? "a" : "other", "a");
	note("vmxon-again", vmxon(on), "valid(15)");
	note("vmptrld-unaligned", vmptrld(a + 0x800), "valid(9)");
	note("vmptrld-vmxon", vmptrld(on), "valid(10)");
	note("vmptrld-badrev", vmptrld(bad), "valid(11)");
	note("vmclear-unaligned", vmclear(a + 4), "valid(2)");
	note("vmclear-vmxon", vmclear(on), "valid(3)");
	/* Nothing is there: VMPTRLD reads no revision it knows (all ones from
	 * nowhere); VMCLEAR writes the VMCS's data there, to nowhere, and succeeds. */
	if (ram_end() > FOREIGN) {
		report(REPORT_SKIP, "vmptrld-foreign", "RAM reaches past %#llx", FOREIGN);
	} else {
		note("vmptrld-foreign", vmptrld(FOREIGN), "valid(11)");
		note("vmclear-foreign", vmclear(FOREIGN), "ok");
	}
	note("vmptrld-noncanonical", vmptrld_at((uint64_t *)NONCANONICAL), "#GP");
	note("vmptrst-unmapped", vmptrst_at((uint64_t *)UNMAPPED), "#PF(2,100000000)");
	note("vmread-bad-encoding", vmread(0x10000, &val), "valid(12)");
	note("vmread-high-encoding", vmread((1ULL << 32) | GUEST_RIP, &val), "valid(12)");
	note("vmwrite-rip", vmwrite(GUEST_RIP, 0x1234), "ok");
	val = 0;
	note("vmread-rip-mem", vmread_mem(GUEST_RIP, &val), "ok");
	note("vmread-rip-value", val == 0x1234 ? "same" : "other", "same");
	note("vmwrite-es", vmwrite(GUEST_ES_SELECTOR, 0x12345), "ok");
	val = 0;
	note("vmread-es", vmread(GUEST_ES_SELECTOR, &val), "ok");
	note("vmread-es-value", val == 0x2345 ? "16-bit" : "other", "16-bit");
	/* VMWRITE to exit information works only where IA32_VMX_MISC[29] says so. */
	snprintf(want, sizeof(want), "%s", (misc & MISC_VMWRITE_ANY) ? "ok" : "valid(13)");
	note("vmwrite-ro-as-misc29", !strcmp(vmwrite(VM_EXIT_REASON, 1), want) ? "yes" : "no",
	     "yes");
	note("vmclear-current", vmclear(a), "ok");
	val = 0;
	vmptrst_at(&val);
	note("vmptrst-after-vmclear", val == none ? "ffs" : "other", "ffs");
	note("vmread-nocurrent", vmread(GUEST_RIP, &val), "invalid");
	note("vmlaunch-nocurrent", vmlaunch(), "invalid");
	run_self();
	note("vmxoff", vmxoff(), "ok");
	note("vmxoff-again", vmxoff(), "#UD");
	outside_vmx("after-vmxoff");
	note("cr4-clear-vmxe-after", exc(write_cr4_safe(cr4 & ~CR4_VMXE)), "ok");
	printf("chaos vmx: %u passed, %u failed, %u skipped\n", report_counts.passed,
	       report_counts.failed, report_counts.skipped);
	return report_counts.failed ? EXIT_FAIL : EXIT_OK;
}
