/* vmcs.c - the VMCS as an object (allocate, clear, make current) and the reports
 * of failed VMCS accesses. */
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

void vmcs_clear(struct vmcs *vmcs)
{
	if (vmclear(vmcs->pa))
		panic("VMCLEAR of the VMCS at %#lx failed", vmcs->pa);
	vmcs->launched = false;
}

void vmcs_load(struct vmcs *vmcs)
{
	if (vmptrld(vmcs->pa))
		panic("VMPTRLD of the VMCS at %#lx failed", vmcs->pa);
}

void vmcs_write_failed(unsigned long field, uint64_t value)
{
	uint32_t e = (uint32_t)vmcs_read_raw(VM_INSTRUCTION_ERROR);

	panic("VMWRITE of field %#lx = %#lx failed: error %u, %s", field, value, e,
	      vmx_insn_error_str(e));
}
