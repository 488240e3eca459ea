/* nested.h - the hypervisor running a guest hypervisor (L1) and its guest (L2). */
#ifndef NB_NESTED_H
#define NB_NESTED_H

#include "hv.h"

/* The decision point for an exit while L2 runs, taken before the exit table
 * (run.c): returns the handler that reflects the exit to L1 (a VM exit from L2 to
 * L1, emulated), or NULL when L0 handles it itself through the exit table, as for
 * an exit of L1. reason is the basic exit reason. It must not touch the VMCS
 * before deciding more than it has to: it runs on the path of every L2 exit. */
exit_handler_fn nested_reflect_handler(const struct vcpu *v, unsigned reason);

#endif
