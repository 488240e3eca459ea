/* A nested VM entry's controls (vmm/nested/merge.c): L1's checked against the
 * capability MSRs L1 reads, each kind of invalid control refused with error 7, and
 * the merge with L0's. IA32_VMX_BASIC, PROCBASED_CTLS2 and EPT_VPID_CAP are the
 * values Bochs's Skylake-X model reports; the other control MSRs are typical of a
 * Skylake server, chosen for their default-1 bits (which the TRUE_ MSRs relax). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "caps.h"
#include "nested/caps12.h"
#include "nested/merge.h"
#include "vmx.h"

#define SKX_BASIC           0x00d810000000002bULL
#define SKX_PROCBASED_CTLS2 0x02177fff00000000ULL
#define SKX_EPT_VPID_CAP    0x00000f0106334141ULL

static const uint64_t platform_msrs[VMX_CAP_MSRS] = {
	[MSR_IA32_VMX_BASIC - MSR_IA32_VMX_FIRST] = SKX_BASIC,
	[MSR_IA32_VMX_PINBASED_CTLS - MSR_IA32_VMX_FIRST] = 0x000000ff00000016ULL,
	[MSR_IA32_VMX_PROCBASED_CTLS - MSR_IA32_VMX_FIRST] = 0xfff9fffe0401e172ULL,
	[MSR_IA32_VMX_EXIT_CTLS - MSR_IA32_VMX_FIRST] = 0x01ffffff00036dffULL,
	[MSR_IA32_VMX_ENTRY_CTLS - MSR_IA32_VMX_FIRST] = 0x0003ffff000011ffULL,
	[MSR_IA32_VMX_MISC - MSR_IA32_VMX_FIRST] = 0x000000007004c1e7ULL, /* 4 CR3 targets */
	[MSR_IA32_VMX_PROCBASED_CTLS2 - MSR_IA32_VMX_FIRST] = SKX_PROCBASED_CTLS2,
	[MSR_IA32_VMX_EPT_VPID_CAP - MSR_IA32_VMX_FIRST] = SKX_EPT_VPID_CAP,
	[MSR_IA32_VMX_TRUE_PINBASED_CTLS - MSR_IA32_VMX_FIRST] = 0x000000ff00000016ULL,
	[MSR_IA32_VMX_TRUE_PROCBASED_CTLS - MSR_IA32_VMX_FIRST] = 0xfff9fffe04006172ULL,
	[MSR_IA32_VMX_TRUE_EXIT_CTLS - MSR_IA32_VMX_FIRST] = 0x01ffffff00036dfbULL,
	[MSR_IA32_VMX_TRUE_ENTRY_CTLS - MSR_IA32_VMX_FIRST] = 0x0003ffff000011fbULL,
};

#define MAXPHYADDR 39

static struct vmx_msrs platform(void)
{
	struct vmx_msrs m = { .maxphyaddr = MAXPHYADDR };

	for (unsigned i = 0; i < VMX_CAP_MSRS; i++)
		m.msr[i] = platform_msrs[i];
	return m;
}

/* What L1 reads: caps12_msr over the platform's values. */
static struct vmx_msrs l1caps(void)
{
	struct vmx_msrs m = platform();

	for (unsigned i = 0; i < VMX_CAP_MSRS; i++)
		if (!caps12_msr(MSR_IA32_VMX_FIRST + i, platform_msrs[i], &m.msr[i]))
			m.msr[i] = 0;
	return m;
}

static uint32_t adjust(const struct vmx_msrs *m, uint32_t true_msr, uint32_t want)
{
	return vmx_adjust_controls(m->msr[true_msr - MSR_IA32_VMX_FIRST], want, NULL);
}

/* Controls a guest hypervisor like ours sets for its guest, made valid for m. */
static struct vmx_controls valid(const struct vmx_msrs *m)
{
	return (struct vmx_controls){
		.pin = adjust(m, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
			      PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING),
		.proc = adjust(m, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			       CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
				       CPU_BASED_USE_MSR_BITMAPS |
				       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS),
		.proc2 = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
			 SECONDARY_EXEC_ENABLE_VPID,
		.exit = adjust(m, MSR_IA32_VMX_TRUE_EXIT_CTLS,
			       VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
				       VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
				       VM_EXIT_LOAD_IA32_PAT),
		.entry = adjust(m, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
				VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_EFER |
					VM_ENTRY_LOAD_IA32_PAT),
		.msr_bitmap = 0x5000,
		.eptp = 0x123000 | MEMTYPE_WB | (3 << VMX_EPTP_PWL_SHIFT),
		.vpid = 1,
	};
}

/* The check's verdict on L1's controls after change() alters them. */
static int check_l1(void (*change)(struct vmx_controls *), const char **why)
{
	struct vmx_msrs m = l1caps();
	struct vmx_controls c = valid(&m);

	*why = NULL;
	if (change)
		change(&c);
	return controls12_check(&m, &c, why);
}

static void test_valid_controls_pass(void **state)
{
	(void)state;
	const char *why;
	struct vmx_msrs p = platform();
	struct vmx_controls c = valid(&p);

	assert_int_equal(check_l1(NULL, &why), 0);
	assert_null(why);
	assert_int_equal(controls12_check(&p, &c, NULL), 0);
}

#define CHANGE(name, stmt) \
	static void name(struct vmx_controls *c) { stmt; }
CHANGE(pin_default1_cleared, c->pin &= ~(1u << 1))
CHANGE(posted_interrupts, c->pin |= 1u << 7)
CHANGE(tpr_shadow, c->proc |= CPU_BASED_TPR_SHADOW)
CHANGE(shadow_vmcs, c->proc2 |= SECONDARY_EXEC_SHADOW_VMCS)
CHANGE(shadow_vmcs_inactive,
       c->proc2 |= SECONDARY_EXEC_SHADOW_VMCS;
       c->proc &= ~CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
CHANGE(ept_and_vpid_inactive,
       c->proc &= ~CPU_BASED_ACTIVATE_SECONDARY_CONTROLS; c->vpid = 0; c->eptp = 1)
CHANGE(cr3_targets_4, c->cr3_target_count = 4)
CHANGE(cr3_targets_5, c->cr3_target_count = 5)
CHANGE(io_bitmap_unaligned,
       c->proc |= CPU_BASED_USE_IO_BITMAPS; c->io_bitmap_a = 0x6000; c->io_bitmap_b = 0x7800)
CHANGE(io_bitmap_too_high,
       c->proc |= CPU_BASED_USE_IO_BITMAPS; c->io_bitmap_a = 1ULL << MAXPHYADDR;
       c->io_bitmap_b = 0x7000)
CHANGE(io_bitmaps_ok,
       c->proc |= CPU_BASED_USE_IO_BITMAPS; c->io_bitmap_a = 0x6000; c->io_bitmap_b = 0x7000)
CHANGE(msr_bitmap_unaligned, c->msr_bitmap = 0x5008)
CHANGE(virtual_nmis_alone, c->pin = (c->pin & ~PIN_BASED_NMI_EXITING) | PIN_BASED_VIRTUAL_NMIS)
CHANGE(nmi_window_alone, c->proc |= CPU_BASED_NMI_WINDOW_EXITING)
CHANGE(vpid_0, c->vpid = 0)
CHANGE(vpid_0_unused, c->vpid = 0; c->proc2 &= ~SECONDARY_EXEC_ENABLE_VPID)
CHANGE(eptp_mt_1, c->eptp = (c->eptp & ~7ULL) | 1)
CHANGE(eptp_mt_uc, c->eptp &= ~7ULL)
CHANGE(eptp_5_level, c->eptp += 1 << VMX_EPTP_PWL_SHIFT)
CHANGE(eptp_ad, c->eptp |= VMX_EPTP_AD_ENABLE)
CHANGE(eptp_bit_7, c->eptp |= 1ULL << 7)
CHANGE(eptp_too_high, c->eptp |= 1ULL << MAXPHYADDR)
CHANGE(ug_without_ept, c->proc2 &= ~SECONDARY_EXEC_ENABLE_EPT)
CHANGE(exit_default1_cleared, c->exit &= ~(1u << 0))
CHANGE(save_timer_alone, c->exit |= VM_EXIT_SAVE_VMX_PREEMPTION_TIMER)
CHANGE(exit_msr_store_unaligned, c->exit_msr_store_count = 1; c->exit_msr_store_addr = 0x8008)
CHANGE(exit_msr_load_ok, c->exit_msr_load_count = 2; c->exit_msr_load_addr = 0x8010)
CHANGE(entry_msr_load_past_width,
       c->entry_msr_load_count = 2; c->entry_msr_load_addr = (1ULL << MAXPHYADDR) - 16)
CHANGE(entry_default1_cleared, c->entry &= ~(1u << 12))
CHANGE(entry_to_smm, c->entry |= 1u << 10)
CHANGE(cr3_load_exiting_cleared, c->proc &= ~(CPU_BASED_CR3_LOAD_EXITING |
					     CPU_BASED_CR3_STORE_EXITING))

static void test_each_invalid_control_is_error_7(void **state)
{
	(void)state;
	static const struct {
		void (*change)(struct vmx_controls *);
		const char *why;  /* NULL: valid */
	} cases[] = {
		{ pin_default1_cleared, "pin-based controls" },
		{ posted_interrupts, "pin-based controls" },
		{ tpr_shadow, "primary processor-based controls" },
		{ shadow_vmcs, "secondary processor-based controls" },
		{ shadow_vmcs_inactive, NULL },
		{ ept_and_vpid_inactive, NULL },
		{ cr3_targets_4, NULL },
		{ cr3_targets_5, "CR3-target count" },
		{ io_bitmap_unaligned, "I/O-bitmap addresses" },
		{ io_bitmap_too_high, "I/O-bitmap addresses" },
		{ io_bitmaps_ok, NULL },
		{ msr_bitmap_unaligned, "MSR-bitmap address" },
		{ virtual_nmis_alone, "virtual NMIs without NMI exiting" },
		{ nmi_window_alone, "NMI-window exiting without virtual NMIs" },
		{ vpid_0, "VPID 0" },
		{ vpid_0_unused, NULL },
		{ eptp_mt_1, "EPTP" },
		{ eptp_mt_uc, NULL },
		{ eptp_5_level, "EPTP" },
		{ eptp_ad, "EPTP" },
		{ eptp_bit_7, "EPTP" },
		{ eptp_too_high, "EPTP" },
		{ ug_without_ept, "unrestricted guest without EPT" },
		{ exit_default1_cleared, "VM-exit controls" },
		{ save_timer_alone, "save preemption timer without the timer" },
		{ exit_msr_store_unaligned, "VM-exit MSR-store/load address" },
		{ exit_msr_load_ok, NULL },
		{ entry_msr_load_past_width, "VM-entry MSR-load address" },
		{ entry_default1_cleared, "VM-entry controls" },
		{ entry_to_smm, "entry to SMM or dual-monitor deactivation outside SMM" },
		{ cr3_load_exiting_cleared, NULL },  /* the TRUE_ MSR allows it */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why;
		int err = check_l1(cases[i].change, &why);

		if (cases[i].why) {
			assert_int_equal(err, VMXERR_ENTRY_INVALID_CONTROL);
			assert_string_equal(why, cases[i].why);
		} else {
			assert_int_equal(err, 0);
		}
	}
}

/* What the platform allows but L1 was not offered is refused: the check reads
 * L1's capability MSRs. */
static void test_checked_against_l1s_msrs(void **state)
{
	(void)state;
	struct vmx_msrs p = platform(), l1 = l1caps();
	struct vmx_controls c = valid(&p);

	c.eptp |= VMX_EPTP_AD_ENABLE;
	assert_int_equal(controls12_check(&p, &c, NULL), 0);
	assert_int_equal(controls12_check(&l1, &c, NULL), VMXERR_ENTRY_INVALID_CONTROL);
}

/* Without IA32_VMX_BASIC[55] the original MSRs govern: their default-1 controls
 * (CR3-load and CR3-store exiting, bits 15 and 16) can no longer be cleared. */
static void test_true_msrs_only_with_basic_bit_55(void **state)
{
	(void)state;
	struct vmx_msrs m = l1caps();
	struct vmx_controls c = valid(&m);
	const char *why = NULL;

	cr3_load_exiting_cleared(&c);
	assert_int_equal(controls12_check(&m, &c, NULL), 0);
	m.msr[0] &= ~VMX_BASIC_TRUE_CTLS;
	assert_int_equal(controls12_check(&m, &c, &why), VMXERR_ENTRY_INVALID_CONTROL);
	assert_string_equal(why, "primary processor-based controls");
	c.proc |= CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING;
	/* and the VM-exit and VM-entry default-1 bit 2 is required again */
	assert_int_equal(controls12_check(&m, &c, &why), VMXERR_ENTRY_INVALID_CONTROL);
	assert_string_equal(why, "VM-exit controls");
}

/* L0's controls for vmcs01, chosen as vmcs_init.c chooses them, with the EPTP of
 * an EPT02 and L2's VPID. */
static struct vmx_controls l0_controls(const struct vmx_msrs *p)
{
	return (struct vmx_controls){
		.pin = adjust(p, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
			      PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING),
		.proc = adjust(p, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
			       CPU_BASED_HLT_EXITING | CPU_BASED_CR8_LOAD_EXITING |
				       CPU_BASED_CR8_STORE_EXITING | CPU_BASED_UNCOND_IO_EXITING |
				       CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_MWAIT_EXITING |
				       CPU_BASED_MONITOR_EXITING | CPU_BASED_RDPMC_EXITING |
				       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS),
		.proc2 = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
			 SECONDARY_EXEC_ENABLE_VPID | SECONDARY_EXEC_ENABLE_RDTSCP,
		.exit = adjust(p, MSR_IA32_VMX_TRUE_EXIT_CTLS,
			       VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
				       VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
				       VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_DEBUG_CONTROLS),
		.entry = adjust(p, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
				VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT |
					VM_ENTRY_LOAD_DEBUG_CONTROLS),
		.exception_bitmap = 1u << 6,  /* trap_ud=on */
		.msr_bitmap = 0x9000,
		.cr0_mask = 0x60000020,
		.cr4_mask = 0x2000,
		.eptp = 0xabc000 | MEMTYPE_WB | (3 << VMX_EPTP_PWL_SHIFT),
		.vpid = 2,
	};
}

static void test_merge_keeps_both_sides(void **state)
{
	(void)state;
	struct vmx_msrs p = platform();
	struct vmx_controls l0 = l0_controls(&p), l1 = valid(&p), m;

	l1.pin = (l1.pin | PIN_BASED_VMX_PREEMPTION_TIMER) & ~PIN_BASED_NMI_EXITING;
	l1.proc |= CPU_BASED_RDTSC_EXITING | CPU_BASED_USE_IO_BITMAPS;
	l1.proc &= ~CPU_BASED_UNCOND_IO_EXITING;
	l1.exception_bitmap = 1u << 14;
	l1.cr0_mask = 1;
	l1.cr3_target_count = 2;
	l1.proc2 = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
		   SECONDARY_EXEC_ENABLE_VPID;
	controls02_merge(&l0, &l1, &m);
	assert_int_equal(m.pin & l0.pin, l0.pin);
	assert_true(m.pin & PIN_BASED_NMI_EXITING);         /* L0's */
	assert_true(m.pin & PIN_BASED_VMX_PREEMPTION_TIMER);
	assert_true(m.proc & CPU_BASED_HLT_EXITING);        /* both */
	assert_true(m.proc & CPU_BASED_CR8_LOAD_EXITING);   /* L0's */
	assert_true(m.proc & CPU_BASED_RDTSC_EXITING);      /* L1's */
	assert_true(m.proc & CPU_BASED_UNCOND_IO_EXITING);  /* every I/O comes to L0 */
	assert_false(m.proc & CPU_BASED_USE_IO_BITMAPS);
	assert_true(m.proc & CPU_BASED_USE_MSR_BITMAPS);
	assert_int_equal(m.msr_bitmap, l0.msr_bitmap);
	assert_int_equal(m.proc2, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
					  SECONDARY_EXEC_ENABLE_VPID);
	assert_int_equal(m.eptp, l0.eptp);
	assert_int_equal(m.vpid, l0.vpid);
	assert_int_equal(m.exit, l0.exit);
	assert_int_equal(m.entry, l1.entry | VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT);
	assert_true(m.entry & VM_ENTRY_IA32E_MODE);
	assert_false(l0.entry & VM_ENTRY_IA32E_MODE);
	assert_int_equal(m.exception_bitmap, (1u << 6) | (1u << 14));
	assert_int_equal(m.cr0_mask, 0x60000021);
	assert_int_equal(m.cr4_mask, 0x2000);
	assert_int_equal(m.cr3_target_count, 2);
	assert_int_equal(m.exit_msr_store_count + m.exit_msr_load_count + m.entry_msr_load_count, 0);
	/* what the processor gets is valid on the processor */
	assert_int_equal(controls12_check(&p, &m, NULL), 0);
}

/* EPT and VPID are L0's even when L1 uses neither; secondary controls L1 left
 * inactive count as 0, whatever the field holds. */
static void test_merge_forces_ept_and_vpid(void **state)
{
	(void)state;
	struct vmx_msrs p = platform();
	struct vmx_controls l0 = l0_controls(&p), l1 = valid(&p), m;

	l1.proc &= ~(CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | CPU_BASED_USE_MSR_BITMAPS);
	l1.proc2 = SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_UNRESTRICTED_GUEST;
	l1.entry &= ~(VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_IA32E_MODE);
	/* neither asks for unconditional I/O exiting (say, both use I/O bitmaps) */
	l0.proc &= ~CPU_BASED_UNCOND_IO_EXITING;
	l1.proc &= ~CPU_BASED_UNCOND_IO_EXITING;
	controls02_merge(&l0, &l1, &m);
	/* L0 loads EFER and PAT; its debug-control loading and IA32e mode are not L2's */
	assert_int_equal(m.entry, l1.entry | VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT);
	assert_true(m.proc & CPU_BASED_UNCOND_IO_EXITING);
	assert_true(m.proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	assert_int_equal(m.proc2, SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID);
	assert_false(m.proc & CPU_BASED_USE_MSR_BITMAPS);  /* L1 wants every MSR access */
	assert_int_equal(controls12_check(&p, &m, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_controls_pass),
		cmocka_unit_test(test_each_invalid_control_is_error_7),
		cmocka_unit_test(test_checked_against_l1s_msrs),
		cmocka_unit_test(test_true_msrs_only_with_basic_bit_55),
		cmocka_unit_test(test_merge_keeps_both_sides),
		cmocka_unit_test(test_merge_forces_ept_and_vpid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
