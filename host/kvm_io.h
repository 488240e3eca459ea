/* kvm_io.h - the port I/O device model of the /dev/kvm launcher (kvmrun).
 *
 * The small device set every nestbench kernel (and any multiboot kernel written for
 * QEMU -kernel) expects, and nothing more:
 *   0x3f8-0x3ff  COM1, a 16550 whose transmitter is always empty: THR bytes go
 *                straight to the console, LSR always reads THRE|TEMT
 *   0xe9         debug port (Bochs port_e9_hack): writes go to the console, reads
 *                return 0xe9
 *   0xf4         exit port (QEMU isa-debug-exit): a write of v ends the run with
 *                status v (QEMU would exit with v*2+1; we keep v itself)
 * Any other port behaves like an empty ISA slot: reads return all ones, writes
 * vanish; both are counted, since they mean the guest looked for a device we lack.
 *
 * Pure logic on KVM's I/O exit buffer (kvm_run + io.data_offset), so it is
 * unit-tested without /dev/kvm. */
#ifndef NB_KVM_IO_H
#define NB_KVM_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define KVM_IO_COM1      0x3f8
#define KVM_IO_E9        0xe9
#define KVM_IO_EXIT_PORT 0xf4

struct kvm_io {
	FILE *console;          /* COM1 THR and port 0xe9 bytes, unbuffered by the caller */
	/* The 16550 registers a driver writes and may read back (probing, divisor). */
	uint8_t lcr, ier, mcr, scr, dll, dlm;
	bool exited;            /* the guest wrote the exit port */
	uint32_t exit_value;    /* what it wrote there */
	uint64_t unclaimed;     /* byte accesses to ports nobody claims */
	uint16_t unclaimed_last;
};

enum kvm_io_result {
	KVM_IO_CONTINUE,        /* re-enter the guest */
	KVM_IO_EXITED,          /* the guest wrote the exit port: io->exit_value */
};

void kvm_io_init(struct kvm_io *io, FILE *console);

/* One KVM_EXIT_IO: count items of size (1, 2 or 4) bytes at port. For an OUT, data
 * holds the guest's bytes; for an IN, the answer is written there (KVM copies it into
 * the guest's register or memory on the next KVM_RUN). count > 1 is a string
 * instruction (INS/OUTS), which KVM hands over in one batch. */
enum kvm_io_result kvm_io_access(struct kvm_io *io, uint16_t port, bool in, unsigned size,
				 uint32_t count, uint8_t *data);

#endif
