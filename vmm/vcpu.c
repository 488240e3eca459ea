/* vcpu.c - small operations on the running guest shared by the exit handlers. */
#include <stdarg.h>
#include <stddef.h>
#include "cr.h"
#include "exception.h"
#include "exits.h"
#include "hv.h"
#include "printf.h"
#include "vmcs.h"

struct vcpu vcpu;

_Static_assert(offsetof(struct vcpu, regs) == VCPU_REGS, "trampoline.h: VCPU_REGS");
_Static_assert(offsetof(struct vcpu, vmcs) == VCPU_VMCS, "trampoline.h: VCPU_VMCS");
_Static_assert(offsetof(struct vcpu, exit_path) == VCPU_EXIT_PATH,
	       "trampoline.h: VCPU_EXIT_PATH");

enum exit_action vcpu_load_vmcs(struct vcpu *v, struct vmcs *vmcs, enum vcpu_level level)
{
	vmcs_load(vmcs);
	v->vmcs = vmcs;
	v->running_l2 = level == LEVEL_L2;
	v->exit_path = v->running_l2 ? vcpu_exit_l2 : vcpu_exit_l1;
	return HV_ENTER;
}

enum exit_action vcpu_stop(struct vcpu *v, int status, const char *fmt, ...)
{
	va_list ap;

	printf("hv: guest stopped: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" [rip %#lx]\n", vmcs_readnat(GUEST_RIP));
	v->stopped = true;
	v->status = status;
	return HV_STOP;
}

/* The exceptions that push an error code in protected mode (SDM Vol. 3A, 6.15). */
#define EXC_WITH_ERROR_CODE ((1u << EXC_DF) | (1u << EXC_TS) | (1u << EXC_NP) | \
			     (1u << EXC_SS) | (1u << EXC_GP) | (1u << EXC_PF) | \
			     (1u << EXC_AC) | (1u << EXC_CP))

void vcpu_inject(int vector, uint32_t error)
{
	bool has_error = (EXC_WITH_ERROR_CODE >> vector & 1) &&
			 (vmcs_readnat(GUEST_CR0) & CR0_PE);

	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HARD_EXCEPTION |
						  (has_error ? INTR_INFO_DELIVER_CODE : 0) |
						  (uint32_t)vector);
	if (has_error)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
}

void vcpu_skip_insn(void)
{
	vcpu_skip(vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}
