/* vmcs.c - the VMCS as an object (allocate, clear, make current) and the reports
 * of failed VMCS accesses, which name the field from the list (vmcs_fields.h). */
#include <stddef.h>
#include "printf.h"
#include "trampoline.h"
#include "vmcs.h"
#include "vmx_setup.h"

_Static_assert(offsetof(struct vmcs, pa) == VMCS_OBJ_PA, "trampoline.h: VMCS_OBJ_PA");
_Static_assert(offsetof(struct vmcs, host_rsp) == VMCS_OBJ_HOST_RSP,
	       "trampoline.h: VMCS_OBJ_HOST_RSP");
_Static_assert(offsetof(struct vmcs, launched) == VMCS_OBJ_LAUNCHED,
	       "trampoline.h: VMCS_OBJ_LAUNCHED");

uint64_t vmcs_reads, vmcs_writes;

void vmcs_alloc(struct vmcs *vmcs)
{
	vmcs->pa = vmx_alloc_region();
	vmcs->host_rsp = 0;
	vmcs_clear(vmcs);
}

void vmcs_ptr_failed(const struct vmcs *vmcs, bool clear)
{
	panic("%s of the VMCS at %#lx failed", clear ? "VMCLEAR" : "VMPTRLD", vmcs->pa);
}

/* Why the last VMX instruction failed, for a panic message. */
static const char *failure(uint32_t *error)
{
	uint64_t e;

	*error = 0;
	if (vmptrst() == ~0ULL)
		return "no current VMCS (VMfailInvalid)";
	if (vmcs_read_enc(VM_INSTRUCTION_ERROR, &e) != VMX_OK)
		return "VM_INSTRUCTION_ERROR unreadable";
	*error = (uint32_t)e;
	return vmx_insn_error_str(*error);
}

uint32_t vmcs_check_no_failure(void)
{
	uint64_t e;

	if (vmcs_read_enc(VM_INSTRUCTION_ERROR, &e) != VMX_OK) {
		printf("hv: VM_INSTRUCTION_ERROR of the current VMCS is unreadable\n");
		return ~0u;
	}
	if (e)
		printf("hv: a VMX instruction failed unreported (a VMREAD of a field this CPU "
		       "lacks?): VM-instruction error %u, %s\n", (uint32_t)e,
		       vmx_insn_error_str((uint32_t)e));
	return (uint32_t)e;
}

static const char *field_name(unsigned long field)
{
	const char *name = vmcs_field_name((uint32_t)field);

	return name ? name : "unlisted";
}

void vmcs_write_failed(unsigned long field, uint64_t value)
{
	uint32_t e;
	const char *why = failure(&e);

	panic("VMWRITE of field %#lx (%s) = %#lx failed: error %u, %s", field,
	      field_name(field), value, e, why);
}
