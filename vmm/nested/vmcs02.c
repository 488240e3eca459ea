/* vmcs02.c - entering L2 (the end of L1's VMLAUNCH/VMRESUME, SDM 26): the VMCS that
 * really runs L2 ("vmcs02") made from L1's VMCS for it (vmcs12, in L1's memory) and
 * from what L0 needs, and EPT02, L1's EPT composed with ours (ept02.c).
 *
 * vmcs02: guest state is vmcs12's, copied on every entry (L1 changes it between
 * VMRESUMEs through its trapped VMWRITEs); controls are merged (merge.c); host state
 * is L0's own, as in vmcs01, since every exit of L2 comes to L0 first (exit12.c
 * reflects to L1 what L1 asked for). One vmcs02 serves every vmcs12: entering a
 * vmcs12 other than the one it was last built from VMCLEARs it and starts over. */
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

/* The MSR bitmap L2 runs with (24.6.9): an RDMSR/WRMSR exits if L0 or L1
 * intercepts it, so the union of vmcs01's bitmap and L1's, rebuilt at each entry
 * because L1 may change its bitmap at any time. 0 when L1's page is outside its
 * RAM: then L2 runs without bitmaps and every access exits (reflect.c treats L1's
 * missing page as intercepting all). */
static uint64_t msr_bitmap02(struct vcpu *v, uint64_t l1_bitmap)
{
	static uint64_t page;

	if (!gpa_in_ram(v, l1_bitmap, 4096))
		return 0;
	if (!page && !(page = frames_get_table(NULL)))
		panic("no memory for L2's MSR bitmap");
	uint64_t *out = (uint64_t *)(uintptr_t)page;
	const uint64_t *l0 = (const uint64_t *)(uintptr_t)vmcs_read64(MSR_BITMAP);
	const uint64_t *l1 = gpa_ptr(v, l1_bitmap);
	for (unsigned i = 0; i < 512; i++)
		out[i] = l0[i] | l1[i];
	return page;
}

/* L0's controls for L1 (vmcs01's, current), as the merge's l0, with the MSR
 * bitmap L2 needs. */
static void controls_of_l0(struct vcpu *v, const struct vmx_controls *c12,
			   struct vmx_controls *c)
{
	uint64_t bitmap = (c12->proc & CPU_BASED_USE_MSR_BITMAPS) ?
			  msr_bitmap02(v, c12->msr_bitmap) : 0;
	uint32_t proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL);

	*c = (struct vmx_controls){
		.pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL),
		.proc = bitmap ? proc : proc & ~CPU_BASED_USE_MSR_BITMAPS,
		.msr_bitmap = bitmap,
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

/* The guest-state fields L1 can give L2 (vmcs_fields.h): those of the guest-state
 * type (bits 11:10 = 2) that L1's exit handlers touch. */
#define GUEST_ENC(name, enc, width, flags) \
	((VMCS_FIELD_TYPE(enc) == 2 && ((flags) & VF_SH)) ? (enc) : 0u),
static const uint32_t guest_fields[] = { VMCS_FIELDS(GUEST_ENC) };
#undef GUEST_ENC

void vmcs02_guest_state(struct vmcs12 *r, uint32_t entry_controls, bool to_vmcs02)
{
	for (size_t i = 0; i < sizeof(guest_fields) / sizeof(guest_fields[0]); i++) {
		uint32_t enc = guest_fields[i];
		if (!enc || (enc == GUEST_IA32_PERF_GLOBAL_CTRL &&
			     !(entry_controls & VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL)))
			continue;
		if (to_vmcs02)
			vmcs_write_raw(enc, r->field[i]);
		else
			r->field[i] = vmcs_read_raw(enc);
	}
}

/* What L2 sees of CR0/CR4 (25.3): L1's read shadow for the bits L1 owns, its
 * guest CR0/CR4 for the rest. */
static uint64_t shadow02(uint64_t shadow12, uint64_t mask12, uint64_t guest12)
{
	return (shadow12 & mask12) | (guest12 & ~mask12);
}

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
	vmcs_writenat(CR0_READ_SHADOW, shadow02(F12(r, CR0_READ_SHADOW),
						F12(r, CR0_GUEST_HOST_MASK), F12(r, GUEST_CR0)));
	vmcs_writenat(CR4_READ_SHADOW, shadow02(F12(r, CR4_READ_SHADOW),
						F12(r, CR4_GUEST_HOST_MASK), F12(r, GUEST_CR4)));
	/* Event injection is L1's (26.6): what it asks for is delivered to L2. */
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, F12(r, VM_ENTRY_INTR_INFO_FIELD));
	vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, F12(r, VM_ENTRY_EXCEPTION_ERROR_CODE));
	vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, F12(r, VM_ENTRY_INSTRUCTION_LEN));
}

enum exit_action vmcs02_enter(struct vcpu *v, struct vmcs12 *r, const struct vmx_controls *c12,
			      bool launch)
{
	struct vmx12 *x = &v->vmx12;
	struct vmx_controls l0, m;
	enum exit_action out;

	/* Not emulated: MSR lists (L0 would have to load and store them itself). */
	if (c12->exit_msr_store_count || c12->exit_msr_load_count || c12->entry_msr_load_count)
		return vmx12_not_yet(v, "a VM entry with MSR lists");
	uint64_t eptp12 = (c12->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
			  (c12->proc2 & SECONDARY_EXEC_ENABLE_EPT) ? c12->eptp : 0;
	if (!eptp12)
		return vmx12_not_yet(v, "a VM entry without EPT (L2 on L1's page tables)");
	if (ept02_for(v, eptp12, &out))
		return out;
	controls_of_l0(v, c12, &l0);
	controls02_merge(&l0, c12, &m);
	bool l0_timer = l0.pin & PIN_BASED_VMX_PREEMPTION_TIMER;
	uint32_t timer = l0_timer ? vmcs_read32(VMX_PREEMPTION_TIMER_VALUE) : 0;

	if (!x->vmcs02.pa)
		vmcs_alloc(&x->vmcs02);
	else if (launch || x->vmcs02_of != v->vmx12.current)
		vmcs_clear(&x->vmcs02);
	bool fresh = !x->vmcs02.launched;
	out = vcpu_load_vmcs(v, &x->vmcs02, LEVEL_L2);
	if (fresh) {
		vmcs_write_host_state();
		vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
	}
	x->vmcs02_of = v->vmx12.current;
	x->running = r;
	x->launching = launch;
	write_controls(r, &m);
	vmcs02_guest_state(r, m.entry, true);
	timer12_enter(r, c12->pin, l0_timer, timer, m.exit);
	r->launched = 1;
	return out;
}
