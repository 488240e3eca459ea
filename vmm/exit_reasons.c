/* exit_reasons.c - exit-reason names, made from the list in exit_reasons.h.
 * Pure data: compiled for the host too and unit-tested (tests/unit/test_exit_reasons.c). */
#include <stddef.h>
#include "exit_reasons.h"

#define EXIT_REASON_NAME_ENTRY(nr, name, str) [nr] = str,
static const char *const names[EXIT_REASON_MAX] = {
	VMX_EXIT_REASONS(EXIT_REASON_NAME_ENTRY)
};
#undef EXIT_REASON_NAME_ENTRY

const char *exit_reason_name(unsigned reason)
{
	if (reason < EXIT_REASON_MAX && names[reason])
		return names[reason];
	return "unknown";
}
