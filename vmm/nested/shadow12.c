/* shadow12.c - vmcs02 in its two roles (vmcs12.h). While L1 runs, vmcs02 holds the
 * guest state and exit information of L1's current VMCS and, with shadow=on, it is
 * the shadow VMCS of vmcs01 (24.10): L1's VMREAD and VMWRITE of those fields are
 * the processor's, without a VM exit (shadow_vmcs.c chooses the fields). While L2
 * runs, vmcs02 is the current, ordinary VMCS, so L2's state and its exits'
 * information already sit where L1 will read them: no copying per exit.
 *
 * The roles switch as silicon allows it, not only as Bochs does (Bochs would
 * VMLAUNCH a VMCS whose region says shadow): software must not change the
 * shadow-VMCS indicator (bit 31 of the region's first word, 24.2) of a VMCS that
 * is active, so vmcs02 is VMCLEARed before the bit is set, and the bit is cleared
 * while vmcs02 is still clear; an entry to L2 is then a VMLAUNCH. L0's own
 * accesses to it while L1 runs (the rare paths below) make it current for the time
 * being and VMCLEAR it again: how the processor caches an active VMCS's data is
 * unspecified, and VMCLEAR puts it in the region, where L1's shadow accesses go.
 *
 * With shadow=off the layout is the same; only the "VMCS shadowing" control of
 * vmcs01 stays clear, so every VMREAD/VMWRITE of L1 exits and vmrw.c serves a
 * field of vmcs02 from here: the two settings differ only in which accesses exit. */
#include <stddef.h>
#include "exits.h"
#include "frame.h"
#include "kernel.h"
#include "nested/shadow_vmcs.h"
#include "nested/vmcs12.h"
#include "printf.h"
#include "vmx.h"
#include "vmx_setup.h"

#define SHADOW_VMCS_INDICATOR (1u << 31)

bool vmcs12_in02_tab[VMCS_FIELD_COUNT];

static uint32_t *revision_word(const struct vmcs *vmcs)
{
	return (uint32_t *)(uintptr_t)vmcs->pa;
}

/* vmcs02 stops being current. With shadow=on it is vmcs01's shadow VMCS from now
 * on: clear, and marked as a shadow VMCS, as VM entry to vmcs01 checks (26.3.1.5). */
static void vmcs02_leave(struct vmx12 *x)
{
	if (!cfg.shadow)
		return;
	vmcs_clear(&x->vmcs02);
	*revision_word(&x->vmcs02) |= SHADOW_VMCS_INDICATOR;
}

enum exit_action vmcs02_to_l2(struct vcpu *v)
{
	struct vmx12 *x = &v->vmx12;

	/* Clear since vmcs02_leave: the indicator may change, and VM entry is a
	 * VMLAUNCH (entry.S goes by vmcs02.launched, false after VMCLEAR). */
	*revision_word(&x->vmcs02) &= ~SHADOW_VMCS_INDICATOR;
	return vcpu_load_vmcs(v, &x->vmcs02, LEVEL_L2);
}

enum exit_action vmcs02_to_l1(struct vcpu *v)
{
	vmcs02_leave(&v->vmx12);
	return vcpu_load_vmcs(v, &v->vmcs01, LEVEL_L1);
}

/* Runs fn on vmcs02 made current for the time being, from an exit of L1 (vmcs01
 * current, and current again afterwards). */
static void on_vmcs02(struct vcpu *v, void (*fn)(void *ctx), void *ctx)
{
	vmcs_load(&v->vmx12.vmcs02);
	fn(ctx);
	vmcs02_leave(&v->vmx12);
	vmcs_load(&v->vmcs01);
}

/* The VMREAD bitmap (shadow=on), and whether the CR controls pass it (below). */
static uint8_t *vmread_bitmap;
static bool crs_direct;

void shadow12_crs_direct(bool direct)
{
	static const uint32_t crs[] = {
		CR0_GUEST_HOST_MASK, CR4_GUEST_HOST_MASK, CR0_READ_SHADOW, CR4_READ_SHADOW,
	};

	if (!vmread_bitmap || direct == crs_direct)
		return;
	crs_direct = direct;
	for (unsigned i = 0; i < sizeof(crs) / sizeof(crs[0]); i++) {
		uint8_t bit = (uint8_t)(1u << (crs[i] % 8));
		vmread_bitmap[crs[i] / 8] = direct ? vmread_bitmap[crs[i] / 8] & (uint8_t)~bit
						   : vmread_bitmap[crs[i] / 8] | bit;
	}
}

void shadow12_init(struct vcpu *v)
{
	struct vmx12 *x = &v->vmx12;

	if (x->vmcs02.pa)
		return;
	const struct shadow_platform p = {
		.vmwrite_any = caps.misc & VMX_MISC_VMWRITE_ANY_FIELD,
		.perf_global = (caps.entry >> 32) & VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL,
	};
	shadow_fields(&p, vmcs12_in02_tab);
	/* Host state and link pointer are L0's and never L1's to write: once. */
	vmcs_alloc(&x->vmcs02);
	vmcs_load(&x->vmcs02);
	vmcs_write_host_state();
	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
	vmcs02_leave(x);
	vmcs_load(&v->vmcs01);
	if (cfg.shadow) {
		uint64_t rd = frames_get_table(NULL), wr = frames_get_table(NULL);
		if (!rd || !wr)
			panic("no memory for the VMREAD/VMWRITE bitmaps");
		shadow_bitmaps(vmcs12_in02_tab, (uint8_t *)(uintptr_t)rd, (uint8_t *)(uintptr_t)wr);
		vmread_bitmap = (uint8_t *)(uintptr_t)rd;
		vmcs_write64(VMREAD_BITMAP, rd);
		vmcs_write64(VMWRITE_BITMAP, wr);
	}
}

void shadow12_sync(struct vcpu *v)
{
	const struct vmx12 *x = &v->vmx12;
	/* Without a current VMCS of L1's, the link pointer is invalid and the processor
	 * answers L1's VMREAD/VMWRITE with VMfailInvalid itself (30.3); outside L1's
	 * VMX operation, they must exit (#UD is L0's to give). */
	bool on = cfg.shadow && x->on;
	uint32_t proc2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL) & ~SECONDARY_EXEC_SHADOW_VMCS;

	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, proc2 | (on ? SECONDARY_EXEC_SHADOW_VMCS : 0));
	vmcs_write64(VMCS_LINK_POINTER,
		     on && x->current != VMCS12_NONE ? x->vmcs02.pa : ~0ULL);
}

/* The fields that live in vmcs02, between it (current) and a region's slots. */
static void save_fields(void *ctx)
{
	struct vmcs12 *r = ctx;
	uint64_t val;

	for (int i = 0; i < VMCS_FIELD_COUNT; i++)
		if (vmcs12_in02_tab[i] && vmcs_read_enc(vmcs_field_encoding(i), &val) == VMX_OK)
			r->field[i] = val;
}

static void load_fields(void *ctx)
{
	const struct vmcs12 *r = ctx;

	for (int i = 0; i < VMCS_FIELD_COUNT; i++)
		if (vmcs12_in02_tab[i])
			vmcs_write_raw(vmcs_field_encoding(i), r->field[i]);
}

void shadow12_switch(struct vcpu *v, uint64_t from, uint64_t to)
{
	struct vmcs12 *old = from == VMCS12_NONE ? NULL : vmcs12_at(v, from);
	struct vmcs12 *new = to == VMCS12_NONE ? NULL : vmcs12_at(v, to);

	if (from == to)
		return;
	if (old)
		on_vmcs02(v, save_fields, old);
	if (new)
		on_vmcs02(v, load_fields, new);
	v->vmx12.current = to;
	vmx12_dirty(v);
	shadow12_sync(v);
}

struct access {
	uint32_t enc;
	uint64_t val;
	bool write;
};

static void access_field(void *ctx)
{
	struct access *a = ctx;

	if (a->write)
		vmcs_write_raw(a->enc, a->val);
	else
		a->val = vmcs_read_raw(a->enc);
}

uint64_t vmcs12_read(struct vcpu *v, struct vmcs12 *r, uint32_t enc)
{
	int pos = vmcs_field_index(enc);
	struct access a = { enc & ~VMCS_FIELD_HIGH, 0, false };

	if (!vmcs12_in02(pos))
		return r->field[pos];
	on_vmcs02(v, access_field, &a);
	return a.val;
}

void vmcs12_write(struct vcpu *v, struct vmcs12 *r, uint32_t enc, uint64_t val)
{
	int pos = vmcs_field_index(enc);
	struct access a = { enc & ~VMCS_FIELD_HIGH, val, true };

	if (!vmcs12_in02(pos))
		r->field[pos] = val;
	else
		on_vmcs02(v, access_field, &a);
}
