/* reflect.c - whether an exit of L2 is L0's to handle or L1's. */
#include <stddef.h>
#include "nested.h"

exit_handler_fn nested_reflect_handler(const struct vcpu *v, unsigned reason)
{
	(void)v;
	(void)reason;
	/* L1 asks for exits through the controls, bitmaps and masks of its vmcs12,
	 * and it has none: it is shown no VMX (guest_sees_vmx), so it cannot run an
	 * L2 and no exit is L1's to handle yet. */
	return NULL;
}
