/* mmio.h - the emulated MMIO test page. */
#ifndef NB_MMIO_H
#define NB_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include "hv.h"

/* Emulates one MOV to or from the test page at gpa; HV_RESUME or HV_STOP. */
enum exit_action mmio_emulate(struct vcpu *v, uint64_t gpa, bool write);

#endif
