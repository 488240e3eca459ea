/* kvm_io.h - kvmrun's port I/O: KVM's I/O exits fed to the device model the
 * hypervisor uses too (vmm/devices.h: COM1, port 0xe9, the 0xf4 exit port), and the
 * bytes it sends out written to their own streams: COM1 to the console (--serial),
 * port 0xe9 to a second stream (--e9, by default stderr), so a guest that writes
 * both shows each byte once in each.
 *
 * Pure logic on KVM's I/O exit buffer (kvm_run + io.data_offset), so it is
 * unit-tested without /dev/kvm. */
#ifndef NB_KVM_IO_H
#define NB_KVM_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "devices.h"

struct kvm_io {
	FILE *com1;             /* COM1 THR bytes, unbuffered by the caller; NULL drops */
	FILE *e9;               /* port 0xe9 bytes; NULL drops */
	struct devices dev;
	uint32_t exit_value;    /* what the guest wrote to the exit port */
	uint64_t unclaimed;     /* accesses that reached no device */
	uint16_t unclaimed_last;
};

enum kvm_io_result {
	KVM_IO_CONTINUE,        /* re-enter the guest */
	KVM_IO_EXITED,          /* the guest ended with status io->exit_value (0..127) */
	KVM_IO_BAD_EXIT,        /* it wrote io->exit_value to the exit port: no status */
};

void kvm_io_init(struct kvm_io *io, FILE *com1, FILE *e9);

/* One KVM_EXIT_IO: count items of size (1, 2 or 4) bytes at port. For an OUT, data
 * holds the guest's bytes; for an IN, the answer is written there (KVM copies it into
 * the guest's register or memory on the next KVM_RUN). count > 1 is a string
 * instruction (INS/OUTS), which KVM hands over in one batch; the first write to the
 * exit port ends it. */
enum kvm_io_result kvm_io_access(struct kvm_io *io, uint16_t port, bool in, unsigned size,
				 uint32_t count, uint8_t *data);

#endif
