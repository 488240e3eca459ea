/* vmcs02.c - entering L2 (the end of L1's VMLAUNCH/VMRESUME, SDM 26): the VMCS that
 * really runs L2 ("vmcs02") made from L1's VMCS for it (vmcs12) and from what L0
 * needs, and EPT02, L1's EPT composed with ours (ept02.c).
 *
 * vmcs02: guest state is already there (vmcs12.h: it lives in vmcs02, where L1
 * writes it); controls are merged (merge.c) and host state is L0's own, written
 * once (shadow12.c), since every exit of L2 comes to L0 first (exit12.c reflects to
 * L1 what L1 asked for). The fast path: L1 changes controls, host state and bitmap
 * addresses only through VMWRITEs that exit (those fields are never shadowed), so
 * the checks and the merge are redone only when one of those, a VMPTRLD, VMCLEAR
 * or INVEPT made L1's VMCS dirty; an entry in between does only what changes by
 * itself: L0's timer, and the bits of L2's MSR bitmap that follow L1's page. */
#include <stddef.h>
#include "exits.h"
#include "cr.h"
#include "exit.h"
#include "kernel.h"
#include "nested.h"
#include "nested/ept02.h"
#include "nested/merge.h"
#include "nested/timer12.h"
#include "nested/vmcs12.h"
#include "printf.h"
#include "vmx.h"
#include "vmx_setup.h"

/* EPT02s, one per EPT12 lately entered. An L1 that is itself a nested hypervisor
 * enters two EPTs of its own in turn, its EPT for its L2 and its EPT02 for its L2's
 * guest, switching at each exit of that guest it reflects; composing EPT02 afresh
 * at every switch cost about 80,000 instructions each. Each slot takes its tables
 * from its own pool, refilled, not freed, when the slot is composed again, so that
 * rebuilding after each INVEPT of L1 costs no memory. */
#define EPT02_SLOTS 2u
#define EPT02_MAX_TABLES 1024u
struct table_pool {
	uint64_t pa[EPT02_MAX_TABLES];
	unsigned have, used;
};
static struct ept02_slot {
	uint64_t eptp12; /* the EPT12 it composes; 0: empty */
	struct ept ept;
	struct table_pool pool;
} slots[EPT02_SLOTS];
static unsigned next_slot; /* the one to compose into next: round robin */

static uint64_t *pool_table_ptr(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (uint64_t *)(uintptr_t)pa;
}

static uint64_t pool_get_table(void *ctx)
{
	struct table_pool *pool = ctx;

	if (pool->used == pool->have) {
		if (pool->have == EPT02_MAX_TABLES)
			return 0;
		uint64_t pa = frames_get_table(NULL);
		if (!pa)
			return 0;
		pool->pa[pool->have++] = pa;
	}
	uint64_t pa = pool->pa[pool->used++];
	uint64_t *t = pool_table_ptr(NULL, pa);
	for (unsigned i = 0; i < 512; i++)
		t[i] = 0;
	return pa;
}

static uint64_t l1_read64(void *ctx, uint64_t gpa1)
{
	return *(const uint64_t *)gpa_ptr(ctx, gpa1);
}

void ept12_of(struct vcpu *v, uint64_t eptp12, struct ept12 *e)
{
	uint64_t cap = 0;

	nested_rdmsr(MSR_IA32_VMX_EPT_VPID_CAP, &cap);
	*e = (struct ept12){
		.eptp = eptp12, .ram_size = v->ram_size, .ram_hpa = v->ram_hpa,
		.ept_cap = cap, .maxphyaddr = vmx12_phys_width(),
		.read64 = l1_read64, .ctx = v,
	};
}

void ept02_drop(struct vcpu *v)
{
	(void)v;
	for (unsigned i = 0; i < EPT02_SLOTS; i++)
		slots[i].eptp12 = 0;
}

/* Makes EPT02 for L1's EPTP eptp12 v->vmx12.ept02: the slot that composes it, or one
 * composed afresh. 0, or the guest has been stopped (*out). */
static int ept02_for(struct vcpu *v, uint64_t eptp12, enum exit_action *out)
{
	struct ept12 e;
	struct ept02_bad bad = { 0, 0 };

	for (unsigned i = 0; i < EPT02_SLOTS; i++)
		if (slots[i].eptp12 == eptp12) {
			v->vmx12.ept02 = &slots[i].ept;
			return 0;
		}
	struct ept02_slot *s = &slots[next_slot];
	next_slot = (next_slot + 1) % EPT02_SLOTS;
	s->eptp12 = 0;
	s->pool.used = 0;
	ept12_of(v, eptp12, &e);
	int r = ept_init(&s->ept, cfg.ept_levels, false, pool_get_table, pool_table_ptr,
			 &s->pool);
	if (!r)
		r = ept02_build(&s->ept.pt, &e, cfg.ept_page, &bad);
	if (r) {
		*out = vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "cannot compose L1's EPT (EPTP %#lx) with ours: %s "
				 "(L2-physical %#lx, L1-physical %#lx)", eptp12,
				 r == -1 ? "out of tables" : r == -2 ? "it maps outside L1's RAM"
				 : "it walks more levels than ours", bad.gpa2, bad.gpa1);
		return -1;
	}
	s->eptp12 = eptp12;
	v->vmx12.ept02 = &s->ept;
	/* The pool hands out the same tables again: no translation of an earlier
	 * EPT02 may survive (28.4.3). */
	if (invept(VMX_EPT_EXTENT_CONTEXT, ept_pointer(&s->ept)))
		panic("INVEPT of EPT02 failed");
	return 0;
}

/* L0's controls for L1 (vmcs01's, current), as the merge's l0, with the MSR
 * bitmap L2 runs with (msr02.c). */
static void controls_of_l0(struct vcpu *v, struct vmx_controls *c)
{
	*c = (struct vmx_controls){
		.pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL),
		.proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL),
		.msr_bitmap = msr02_bitmap(),
		.proc2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL),
		.exit = vmcs_read32(VM_EXIT_CONTROLS),
		.entry = vmcs_read32(VM_ENTRY_CONTROLS),
		.exception_bitmap = vmcs_read32(EXCEPTION_BITMAP),
		/* L0 owns no bit of L2's CR0/CR4 but those VMX fixes (23.8), which
		 * L1's own masks must cover already. */
		.cr0_mask = (caps.cr0_fixed0 & ~(CR0_PE | CR0_PG)) | ~caps.cr0_fixed1,
		.cr4_mask = caps.cr4_fixed0 | ~caps.cr4_fixed1,
		.eptp = ept_pointer(v->vmx12.ept02),
		/* L2's translations are tagged apart from L1's (28.1). */
		.vpid = (uint16_t)(v->vpid + 1),
	};
}

/* What L2 sees of CR0/CR4 (25.3): L1's read shadow for the bits L1 owns, its
 * guest CR0/CR4 for the rest. The rest of vmcs02's mask is L0's, the bits VMX
 * fixes, whose guest values VM entry requires to be the fixed ones (26.3.1.1):
 * what L1 writes into the guest CR0/CR4 later without an exit cannot change them,
 * and the read shadow made here stays right until L1's VMCS is dirty again. */
static uint64_t shadow02(uint64_t shadow12, uint64_t mask12, uint64_t guest12)
{
	return (shadow12 & mask12) | (guest12 & ~mask12);
}

/* The merged controls into vmcs02 (current); the shadowed fields are there already. */
static void write_controls(struct vmcs12 *r, const struct vmx_controls *m)
{
	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, m->pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, m->proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, m->proc2);
	vmcs_write32(VM_EXIT_CONTROLS, m->exit);
	vmcs_write32(VM_ENTRY_CONTROLS, m->entry);
	vmcs_write32(EXCEPTION_BITMAP, m->exception_bitmap);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, F12(r, PAGE_FAULT_ERROR_CODE_MASK));
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, F12(r, PAGE_FAULT_ERROR_CODE_MATCH));
	vmcs_write32(CR3_TARGET_COUNT, m->cr3_target_count);
	vmcs_writenat(CR3_TARGET_VALUE0, F12(r, CR3_TARGET_VALUE0));
	vmcs_writenat(CR3_TARGET_VALUE1, F12(r, CR3_TARGET_VALUE1));
	vmcs_writenat(CR3_TARGET_VALUE2, F12(r, CR3_TARGET_VALUE2));
	vmcs_writenat(CR3_TARGET_VALUE3, F12(r, CR3_TARGET_VALUE3));
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write64(TSC_OFFSET, (m->proc & CPU_BASED_USE_TSC_OFFSETTING) ?
				 F12(r, TSC_OFFSET) : 0);
	if (m->proc & CPU_BASED_USE_MSR_BITMAPS)
		vmcs_write64(MSR_BITMAP, m->msr_bitmap);
	vmcs_write64(EPT_POINTER, m->eptp);
	if (m->proc2 & SECONDARY_EXEC_ENABLE_VPID)
		vmcs_write16(VIRTUAL_PROCESSOR_ID, m->vpid);
	vmcs_writenat(CR0_GUEST_HOST_MASK, m->cr0_mask);
	vmcs_writenat(CR4_GUEST_HOST_MASK, m->cr4_mask);
	/* Where L0 owns no bit beyond L1's masks, L1's own read shadows serve L2 as
	 * they are (the bits outside a mask are not read), and vmcs02 can answer L1's
	 * VMREADs of all four fields. */
	bool l1s = m->cr0_mask == F12(r, CR0_GUEST_HOST_MASK) &&
		   m->cr4_mask == F12(r, CR4_GUEST_HOST_MASK);
	vmcs_writenat(CR0_READ_SHADOW, l1s ? F12(r, CR0_READ_SHADOW)
					   : shadow02(F12(r, CR0_READ_SHADOW),
						      F12(r, CR0_GUEST_HOST_MASK),
						      vmcs_readnat(GUEST_CR0)));
	vmcs_writenat(CR4_READ_SHADOW, l1s ? F12(r, CR4_READ_SHADOW)
					   : shadow02(F12(r, CR4_READ_SHADOW),
						      F12(r, CR4_GUEST_HOST_MASK),
						      vmcs_readnat(GUEST_CR4)));
	shadow12_crs_direct(l1s);
}

/* The controls L2 runs with, as merged at the last entry that found L1's VMCS
 * dirty: the entries in between need only what changes by itself. */
static struct vmx_controls m02;

/* The part of an entry that L1's VMCS being dirty calls for, before vmcs02 is
 * current: what is not emulated refused, EPT02, and the merge into m02. 0, or the
 * guest has been stopped (*out). */
static int merge(struct vcpu *v, const struct vmx_controls *c12, enum exit_action *out)
{
	struct vmx_controls l0;

	/* Not emulated: MSR lists (L0 would have to load and store them itself). */
	if (c12->exit_msr_store_count || c12->exit_msr_load_count || c12->entry_msr_load_count) {
		*out = vmx12_not_yet(v, "a VM entry with MSR lists");
		return -1;
	}
	uint64_t eptp12 = (c12->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
			  (c12->proc2 & SECONDARY_EXEC_ENABLE_EPT) ? c12->eptp : 0;
	if (!eptp12) {
		*out = vmx12_not_yet(v, "a VM entry without EPT (L2 on L1's page tables)");
		return -1;
	}
	if (ept02_for(v, eptp12, out))
		return -1;
	controls_of_l0(v, &l0);
	controls02_merge(&l0, c12, &m02);
	return 0;
}

enum exit_action vmcs02_enter(struct vcpu *v, struct vmcs12 *r, const struct vmx_controls *c12,
			      bool launch)
{
	struct vmx12 *x = &v->vmx12;
	enum exit_action out;

	if (c12 && merge(v, c12, &out))
		return out;
	/* L0's preemption timer goes on counting at level 2 (vmcs01's, current). */
	uint32_t timer = cfg.timeout ? vmcs_read32(VMX_PREEMPTION_TIMER_VALUE) : 0;
	x->running = r;
	x->launching = launch;
	out = vmcs02_to_l2(v);
	if (c12) {
		write_controls(r, &m02);
		x->dirty = false;
	}
	/* L1 may have changed its MSR bitmap without a VMWRITE. */
	if (m02.proc & CPU_BASED_USE_MSR_BITMAPS)
		msr02_enter(v, F12(r, MSR_BITMAP));
	timer12_enter(r, (uint32_t)F12(r, PIN_BASED_VM_EXEC_CONTROL), cfg.timeout != 0, timer,
		      m02.exit);
	r->launched = 1;
	return out;
}
