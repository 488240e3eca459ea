/* vmcs12.h - a guest hypervisor's VMCS ("vmcs12": L1's VMCS for L2) and its VMX
 * operation as L0 emulates it.
 *
 * Design: the VMCS's data lives in its region, in L1's memory, in our own layout
 * (revision VMCS12_REVISION): the SDM leaves the region's format to the
 * implementation and forbids software to access a region other than through the
 * VMX instructions. One slot per field of the list (vmcs_fields.h). Of L1's current
 * VMCS, though, the shadowed fields (guest state, exit information, event
 * injection: shadow_vmcs.c) live in vmcs02, the VMCS that runs L2 and, while L1
 * runs, is its shadow VMCS (shadow12.c): L2's exits leave them there, L1 reads and
 * writes them there. Their slots are filled when the VMCS stops being current
 * (VMPTRLD of another, VMCLEAR, VMXOFF: as the SDM's VMCLEAR "writes the data to
 * the region") and read back when it becomes current again. The slots of the
 * current VMCS hold what is never shadowed: controls, host state, bitmap and list
 * addresses, EPTP, VPID, CR masks and read shadows, TSC offset. L0 itself keeps
 * only the VMXON and current-VMCS pointers (struct vmx12 in hv.h). An L1 that
 * writes its region directly gets what the SDM promises it, undefined values;
 * whatever consumes them (nested entry) must check them, as it must every value L1
 * VMWRITEs. */
#ifndef NB_VMCS12_H
#define NB_VMCS12_H

#include <stddef.h>
#include <stdint.h>
#include "hv.h"
#include "nested/operand.h"
#include "vmcs_fields.h"

#define VMCS12_SIZE 4096u

struct vmcs12 {
	uint32_t revision;  /* bits 30:0 the revision identifier, bit 31 shadow-VMCS indicator */
	uint32_t abort;     /* VMX-abort indicator (24.2) */
	uint32_t launched;  /* launch state: 0 clear, 1 launched (24.11.3) */
	uint32_t reserved;
	uint64_t field[VMCS_FIELD_COUNT];  /* by position in the field list, width-truncated */
};
_Static_assert(sizeof(struct vmcs12) <= VMCS12_SIZE, "a vmcs12 fits its region");
/* The slot of the field name (a name of the list) in the vmcs12 r: its position
 * is a constant, so this costs no look-up. */
#define F12(r, name) ((r)->field[VMCS_POS_##name])

/* The VM-instruction error numbers (30.4) the emulated instructions report. */
enum vmx12_error {
	VMXERR_VMCLEAR_INVALID_ADDRESS = 2,
	VMXERR_VMCLEAR_VMXON_POINTER = 3,
	VMXERR_VMLAUNCH_NONCLEAR_VMCS = 4,
	VMXERR_VMRESUME_NONLAUNCHED_VMCS = 5,
	VMXERR_ENTRY_INVALID_CONTROL = 7,
	VMXERR_VMPTRLD_INVALID_ADDRESS = 9,
	VMXERR_VMPTRLD_VMXON_POINTER = 10,
	VMXERR_VMPTRLD_INCORRECT_REVISION = 11,
	VMXERR_UNSUPPORTED_VMCS_COMPONENT = 12,
	VMXERR_VMWRITE_READ_ONLY_COMPONENT = 13,
	VMXERR_VMXON_IN_VMX_ROOT = 15,
	VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS = 26,
	VMXERR_INVALID_OPERAND_INVEPT_INVVPID = 28,
};

/* One exit of a VMX instruction being emulated (vmx_insn.c). */
struct vmx12_insn {
	struct vcpu *v;
	struct vmx_operand op;  /* decoded for the instructions that have operands */
	bool long_mode;         /* 64-bit mode: operand size 64 for VMREAD/VMWRITE */
};

/* The region at gpa when it lies in L1's RAM, else NULL. */
static inline struct vmcs12 *vmcs12_at(const struct vcpu *v, uint64_t gpa)
{
	return gpa_in_ram(v, gpa, VMCS12_SIZE) ? gpa_ptr(v, gpa) : NULL;
}
/* The physical-address width, CPUID.80000008H:EAX[7:0]. */
unsigned vmx12_phys_width(void);
/* Whether gpa can be a VMXON or VMCS pointer: 4 KiB aligned, within that width. */
bool vmx12_pointer_ok(uint64_t gpa);
/* The revision word at gpa; memory outside L1's RAM reads as all ones. */
uint32_t vmx12_revision_at(const struct vcpu *v, uint64_t gpa);

/* The instruction's outcome (30.2), each returning HV_RESUME past the instruction:
 * VMsucceed; VMfailInvalid; VMfail(error): VMfailValid with the error in the
 * current VMCS, or VMfailInvalid when there is none. */
enum exit_action vmx12_succeed(struct vmx12_insn *in);
enum exit_action vmx12_fail_invalid(struct vmx12_insn *in);
enum exit_action vmx12_fail(struct vmx12_insn *in, enum vmx12_error error);

/* Reads or writes size bytes of the memory operand through L1's page tables. 0 on
 * success; otherwise the fault has been injected (or the guest stopped, for what
 * is not emulated) and *out is what the handler returns. */
int vmx12_operand_io(struct vmx12_insn *in, void *buf, unsigned size, bool write,
		     enum exit_action *out);

/* The handlers (vmxon.c, vmcs_ptr.c, vmrw.c), called after the checks common to
 * all VMX instructions (#UD outside VMX operation, #GP at CPL > 0). */
enum exit_action vmx12_vmxon(struct vmx12_insn *in);
enum exit_action vmx12_vmxoff(struct vmx12_insn *in);
enum exit_action vmx12_vmclear(struct vmx12_insn *in);
enum exit_action vmx12_vmptrld(struct vmx12_insn *in);
enum exit_action vmx12_vmptrst(struct vmx12_insn *in);
enum exit_action vmx12_vmread(struct vmx12_insn *in);
enum exit_action vmx12_vmwrite(struct vmx12_insn *in);
/* VMLAUNCH (launch) or VMRESUME (vmentry12.c): VMfail as the SDM says; what passes
 * every check enters L2 (vmcs02_enter). */
enum exit_action vmx12_vmentry(struct vmx12_insn *in, bool launch);
/* INVEPT and INVVPID (vmx_inv.c). */
enum exit_action vmx12_invept(struct vmx12_insn *in);
enum exit_action vmx12_invvpid(struct vmx12_insn *in);

/* Entering L2 (vmcs02.c) from r, L1's current vmcs12. c12: its controls, which
 * passed the checks, when L1 may have changed them since the last entry (vmx12.dirty:
 * they are merged and written into vmcs02 again), else NULL. Returns HV_ENTER with
 * vmcs02 current, or the guest has been stopped (what is not emulated). */
struct vmx_controls;
enum exit_action vmcs02_enter(struct vcpu *v, struct vmcs12 *r,
			      const struct vmx_controls *c12, bool launch);

/* vmcs02 in its two roles (shadow12.c). shadow12_init, at L1's VMXON: vmcs02 and
 * the VMREAD/VMWRITE bitmaps, once. shadow12_sync: vmcs01's "VMCS shadowing" and
 * link pointer after L1's VMX operation or current VMCS changed (vmcs01 current).
 * shadow12_switch: L1's current VMCS changes from one region to another (either
 * VMCS12_NONE): the shadowed fields go from vmcs02 into the old one's slots and
 * from the new one's into vmcs02; L1's VMCS is dirty. */
void shadow12_init(struct vcpu *v);
void shadow12_sync(struct vcpu *v);
void shadow12_switch(struct vcpu *v, uint64_t from, uint64_t to);
/* L1's CR0/CR4 guest/host masks and read shadows are controls, kept in the region
 * and merged into vmcs02. Where the merge added nothing to L1's masks, vmcs02 holds
 * exactly L1's four values, and L1's VMREADs of them (its handlers read the read
 * shadows to see the guest's CR0/CR4) can be the processor's from the shadow VMCS:
 * shadow12_crs_direct(true) clears their VMREAD-bitmap bits, false sets them again.
 * Their VMWRITEs always exit (they make L1's VMCS dirty). */
void shadow12_crs_direct(bool direct);
/* L1 may have changed what the next entry must check and merge (a control, host
 * state, its current VMCS, its EPT): vmcs02's copies of L1's CR controls are stale
 * from now until that merge, so L1's VMREADs of them exit again. */
static inline void vmx12_dirty(struct vcpu *v)
{
	v->vmx12.dirty = true;
	shadow12_crs_direct(false);
}
/* Whether the field at list position pos lives in vmcs02 (false for -1); inline,
 * as every reflected exit asks it. */
extern bool vmcs12_in02_tab[VMCS_FIELD_COUNT];
static inline bool vmcs12_in02(int pos)
{
	return pos >= 0 && vmcs12_in02_tab[pos];
}
/* A field of r, L1's current VMCS, wherever it lives, from an exit of L1 (vmcs01
 * current); the full field for a high access's encoding too. */
uint64_t vmcs12_read(struct vcpu *v, struct vmcs12 *r, uint32_t enc);
void vmcs12_write(struct vcpu *v, struct vmcs12 *r, uint32_t enc, uint64_t val);
/* Makes vmcs02 current to enter L2 (a VMLAUNCH with shadow=on), or vmcs01 to
 * return to L1 (vmcs02 then L1's shadow VMCS again). Both return HV_ENTER. */
enum exit_action vmcs02_to_l2(struct vcpu *v);
enum exit_action vmcs02_to_l1(struct vcpu *v);

/* L2's MSR bitmap (msr02.c, msr02_bitmap.h): its address, built at the first call
 * (vmcs01 current); at each entry, the bits that follow L1's bitmap at l1_bitmap;
 * and the handlers of an RDMSR/WRMSR of L2 that L1 does not intercept. */
uint64_t msr02_bitmap(void);
void msr02_enter(const struct vcpu *v, uint64_t l1_bitmap);
enum exit_action msr02_rdmsr(struct vcpu *v);
enum exit_action msr02_wrmsr(struct vcpu *v);
/* L1's EPT at eptp12 as ept02.c walks it; and dropping EPT02, so that the next
 * entry composes it afresh (L1's INVEPT). */
struct ept12;
void ept12_of(struct vcpu *v, uint64_t eptp12, struct ept12 *e);
void ept02_drop(struct vcpu *v);

/* The exit of L2 that runs, reflected to L1 (exit12.c) with this basic reason
 * and qualification written over the processor's (the rest of the exit
 * information as the processor gave it); exit12_as_is reflects it unchanged. Both
 * return HV_ENTER with vmcs01 current. */
enum exit_action exit12_reflect(struct vcpu *v, uint32_t reason, uint64_t qual);
enum exit_action exit12_as_is(struct vcpu *v);

/* Stops the guest at an instruction of its that is not emulated yet. */
enum exit_action vmx12_not_yet(struct vcpu *v, const char *what);

#endif
