/* hv.h - the hypervisor's state: its configuration, the CPU's VMX capabilities and
 * the one virtual CPU it runs. */
#ifndef NB_HV_H
#define NB_HV_H

#include <stdbool.h>
#include <stdint.h>
#include "devices.h"
#include "ept.h"
#include "trampoline.h"
#include "vmcs.h"

struct hv_config {
	enum pt_page ept_page;  /* ept=4k|2m|1g */
	int ept_levels;         /* ept_levels=4|5 */
	bool ept_ad;            /* ept_ad=on|off */
	bool vpid;              /* vpid=on|off */
	bool pmu;               /* pmu=on|off */
	bool trap_ud;           /* trap_ud=on|off: intercept #UD and reflect it */
	uint64_t mem;           /* mem=: guest RAM bytes, rounded up to the EPT page */
	uint64_t timeout;       /* timeout=: guest TSC ticks before it is stopped (0: none) */
	int fail_entry;         /* fail_entry=guest|control: provoke a VM-entry failure */
	bool nested;            /* nested=on|off: offer the guest VMX (vmm/nested/) */
	bool shadow_paging;     /* paging=shadow: no EPT, shadow page tables (vmm/shadow/) */
	bool shadow;            /* shadow=on|off: VMCS shadowing for it (vmm/nested/shadow12.c) */
};

struct vmx_caps {
	uint64_t basic, misc, ept_vpid;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t pin, proc, proc2, exit, entry; /* the governing (TRUE_) capability MSRs */
};

/* Guest general registers, indexed by the SDM's register numbers (0 RAX, 1 RCX,
 * 2 RDX, 3 RBX, 4 RSP - unused, RSP lives in the VMCS - 5 RBP, 6 RSI, 7 RDI, 8-15). */
enum { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI };
struct guest_regs {
	uint64_t gpr[16];
};

/* What every exit handler returns (below). */
enum exit_action;
struct vcpu;
typedef enum exit_action (*exit_handler_fn)(struct vcpu *v);

/* The guest level an exit comes from, in the roles of nested virtualization: L1 is
 * our guest, L2 the guest of L1 once L1 is a hypervisor (nested=on: vmm/nested/).
 * Statistics are kept per level (stats.c). */
enum vcpu_level { LEVEL_L1, LEVEL_L2, LEVELS };

/* The guest's VMX operation, as it sees it (vmm/nested/): L0's record of L1's
 * VMXON and current-VMCS pointers, both guest-physical addresses. */
#define VMCS12_NONE (~0ULL)  /* the current-VMCS pointer when there is none (30.3) */
struct vmcs12;
struct vmx12 {
	bool on;             /* in VMX operation: VMXON done, VMXOFF not yet */
	uint64_t vmxon_ptr;  /* the VMXON region */
	uint64_t current;    /* the current VMCS's region, or VMCS12_NONE */
	/* L2 as L0 runs it (vmm/nested/vmcs02.c): the VMCS that runs L2 and holds the
	 * current vmcs12's guest state and exit information (vmcs02.pa 0: not allocated
	 * yet); dirty when L1 may have changed what the next entry must check and merge
	 * (its controls, host state, current VMCS, EPT); and EPT02 it runs with,
	 * composed from L1's EPT (vmcs02.c keeps one per recent EPT12; L1's INVEPT drops them). */
	struct vmcs vmcs02;
	bool dirty;
	struct vmcs12 *running;  /* the vmcs12 of the L2 that runs (while running_l2) */
	bool launching;          /* the last entry to L2 was L1's VMLAUNCH */
	struct ept *ept02;
};

struct vcpu {
	struct guest_regs regs;  /* first: entry.S finds it at the vcpu's address */
	struct vmcs *vmcs;       /* the current VMCS (VMPTRLD): entry.S enters it */
	/* What entry.S calls on an exit: the exit function of the level the current
	 * VMCS runs (run.c), so that a level costs the exit path nothing. Set with
	 * running_l2 by vcpu_load_vmcs(); run.c's account switches L1's to the one
	 * that accounts while L1 handles an exit of L2. */
	exit_handler_fn exit_path;
	bool running_l2;         /* the current VMCS runs L2 */
	struct vmcs vmcs01;      /* the VMCS that runs L1 */
	uint64_t ram_hpa, ram_size;
	struct ept ept;
	uint64_t eptp;
	uint16_t vpid;
	uint64_t cr8;            /* the guest's TPR, as MOV CR8 sees it */
	uint64_t timer_left;     /* preemption-timer budget still to load, in timer ticks */
	struct devices dev;      /* COM1, port 0xe9, the exit port */
	bool stopped;
	int status;              /* the exit status the hypervisor will return */
	struct vmx12 vmx12;      /* the guest's own VMX operation (nested=on) */
};

extern struct hv_config cfg;
/* cfg as the records' hv= value, "ept:4k,levels:4,ad:off,...": one spelling for the
 * guest's hvconfig= and the hypervisor's own statistics. */
extern char cfg_desc[128];
extern struct vmx_caps caps;
extern struct vcpu vcpu;
extern int hv_level;             /* our own level: 0 on bare (emulated) hardware */

/* What every exit handler returns, and only that: HV_RESUME to re-enter the guest,
 * HV_STOP when the guest has ended (its exit port) or has been stopped (vcpu_stop),
 * HV_ENTER when it made another VMCS current (vcpu_load_vmcs returns it), so that
 * entry.S enters that one by its own launch state and HOST_RSP. HV_RESUME is the
 * hot path: a bare VMRESUME of the VMCS that just exited. The exit status is never
 * returned; it is v->status. */
enum exit_action {
	HV_RESUME = EXIT_ACTION_RESUME,
	HV_STOP = EXIT_ACTION_STOP,
	HV_ENTER = EXIT_ACTION_ENTER,
};

/* Stops the guest: prints "hv: guest stopped: <reason>" with RIP, sets v->status;
 * returns HV_STOP, for a handler to return. */
__attribute__((format(printf, 3, 4)))
enum exit_action vcpu_stop(struct vcpu *v, int status, const char *fmt, ...);

/* Whether the guest is offered VMX: the nested= setting. Each place that would
 * reveal VMX asks this one predicate: CPUID.1:ECX.VMX (cpuid.c),
 * IA32_FEATURE_CONTROL and the VMX capability MSRs (msr.c), CR4.VMXE (cr.c) and the
 * exits of the VMX instructions (misc.c). The CPUID exit asks it for leaf 1 only. */
static inline bool guest_sees_vmx(void)
{
	return cfg.nested;
}

/* Makes vmcs, which runs the guest at level, current (VMPTRLD; panics if that
 * fails) and returns HV_ENTER, for a handler to return: entry.S then VMLAUNCHes it
 * if it is clear, VMRESUMEs it if it is launched, and writes HOST_RSP into it
 * first unless it already holds ours. */
enum exit_action vcpu_load_vmcs(struct vcpu *v, struct vmcs *vmcs, enum vcpu_level level);

/* Queues a hardware exception for the next VM entry (24.8.3); RIP is not advanced.
 * error goes with it only where the CPU itself would push an error code: for a vector
 * that has one, and with the guest in protected mode. In real mode (unrestricted
 * guest, CR0.PE clear) no exception pushes one, and VM entry would fail if asked to
 * deliver it (26.2.1.3). */
void vcpu_inject(int vector, uint32_t error);
/* Advances the guest RIP past the instruction that exited. Inline: it is on the
 * path of nearly every exit. Interruptibility state (blocking by STI or MOV SS) is
 * left alone: our exits never follow those instructions in the guests we run, and
 * clearing it would cost a VMREAD. */
static inline void vcpu_skip(uint64_t len)
{
	vmcs_writenat(GUEST_RIP, vmcs_readnat(GUEST_RIP) + len);
}
/* Reads the exit's instruction length and skips it. */
void vcpu_skip_insn(void);

/* CR0 and CR4 as the guest sees them: host-owned bits (the guest/host mask) come from
 * the read shadow, the others from the real register (SDM 25.3). */
uint64_t guest_cr0(void);
uint64_t guest_cr4(void);

/* True when [gpa, gpa+len) lies inside the guest's RAM; never overflows. */
static inline bool gpa_in_ram(const struct vcpu *v, uint64_t gpa, uint64_t len)
{
	return gpa <= v->ram_size && len <= v->ram_size - gpa;
}
static inline void *gpa_ptr(const struct vcpu *v, uint64_t gpa)
{
	return (void *)(uintptr_t)(v->ram_hpa + gpa);
}

#endif
