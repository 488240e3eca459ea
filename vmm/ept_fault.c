/* ept_fault.c - EPT violations and misconfigurations. The EPT maps the guest's RAM and
 * nothing else, so a violation is either the MMIO test page (emulated in mmio.c) or
 * an access outside the guest's memory: the guest is stopped with the address and
 * the kind of access. */
#include "exit.h"
#include "exits.h"
#include "hypercall.h"
#include "mmio.h"
#include "frame.h"
#include "vmcs.h"

enum exit_action handle_ept_violation(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	uint64_t gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	/* An access made while delivering an event (e.g. pushing an exception frame onto
	 * the MMIO page) is no MOV at RIP: there is nothing to emulate (27.2.4). */
	uint32_t vectoring = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	if (vectoring & INTR_INFO_VALID)
		return vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "EPT violation at guest-physical %#lx while delivering vector %u",
				 gpa, INTR_INFO_VECTOR(vectoring));
	if (gpa - HV_MMIO_TEST_GPA < FRAME_SIZE && !(q & EPT_VIOLATION_FETCH))
		return mmio_emulate(v, gpa, q & EPT_VIOLATION_WRITE);
	const char *kind = (q & EPT_VIOLATION_FETCH) ? "instruction fetch"
			   : (q & EPT_VIOLATION_WRITE) ? "write" : "read";

	return vcpu_stop(v, EXIT_GUEST_STOPPED,
			 "EPT violation: %s of guest-physical %#lx, outside its %lu MiB of RAM%s",
			 kind, gpa, v->ram_size >> 20,
			 ((q & EPT_VIOLATION_GLA_VALID) && !(q & EPT_VIOLATION_GLA_TRANSLATED))
				 ? " (while walking its own page tables)" : "");
}

enum exit_action handle_ept_misconfig(struct vcpu *v)
{
	return vcpu_stop(v, EXIT_FAIL, "EPT misconfiguration at guest-physical %#lx "
			 "(a hypervisor bug)", vmcs_read64(GUEST_PHYSICAL_ADDRESS));
}
