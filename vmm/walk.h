/* walk.h - counting a two-dimensional page walk (HC_WALK). */
#ifndef NB_WALK_H
#define NB_WALK_H

#include <stdint.h>
#include "hv.h"

/* Returns the references of the 2D walk of gla, or a negative HC_E* code; see
 * HC_WALK in lib/hypercall.h for the outputs. */
long walk_2d(struct vcpu *v, uint64_t gla, uint64_t *guest, uint64_t *ept,
	     uint64_t *levels);

#endif
