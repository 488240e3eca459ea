/* exit.h - ending a run with a status, on every platform.
 *
 * Exit statuses are 0..127 (QEMU's isa-debug-exit turns v into 2v+1 and shells keep
 * 8 bits). The runner (scripts/boot) reports the kernel's status as its own. */
#ifndef NB_EXIT_H
#define NB_EXIT_H

#define EXIT_OK        0
#define EXIT_FAIL      1   /* a check failed */
#define EXIT_PANIC     2   /* panic() or assert() */
#define EXIT_EXCEPTION 3   /* an unexpected CPU exception */
#define EXIT_BADARGS   4   /* bad command line or modules */
#define EXIT_GUEST_STOPPED 5 /* a hypervisor stopped its guest for misbehaving */
#define EXIT_SKIP      77  /* the platform lacks what this kernel needs */

/* The port our hypervisor, QEMU's isa-debug-exit and the KVM launcher listen on. */
#define EXIT_PORT 0xF4

/* Prints "@exit status=N", drains the console, then tries every way out in turn:
 * the exit port (QEMU, a nestbench hypervisor, the KVM launcher), then Bochs's
 * magic breakpoint for status 0 (the runner's debugger script quits with 0) or its
 * shutdown port (Bochs exits 1; the runner takes the status from the @exit line). */
__attribute__((noreturn)) void exit(int status);

#endif
