/* reflect.c - whether an exit of L2 is L0's to handle or L1's. */
#include <stddef.h>
#include "nested.h"

exit_handler_fn nested_reflect_handler(const struct vcpu *v, unsigned reason)
{
	(void)v;
	(void)reason;
	/* L1 asks for exits through the controls, bitmaps and masks of its vmcs12,
	 * but it cannot run an L2 yet (its VMLAUNCH/VMRESUME stop it: vmx_insn.c),
	 * so no exit is L1's to handle yet. */
	return NULL;
}
