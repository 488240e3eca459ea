/* devices.h - the port I/O devices every nestbench kernel (and any multiboot kernel
 * written for QEMU -kernel) expects, as one model shared by the hypervisor
 * (vmm/io.c) and the /dev/kvm launcher (host/kvm_io.c):
 *   0x3f8-0x3ff  COM1, a 16550A whose transmitter is always empty: a THR byte leaves
 *                at once, LSR reads THRE|TEMT
 *   0xe9         debug port (Bochs port_e9_hack, QEMU isa-debugcon): writes are
 *                output of their own, reads return 0xe9
 *   0xf4         exit port (QEMU isa-debug-exit): a write ends the run with the
 *                kernel's status, the value itself (not QEMU's 2v+1)
 * Any other port is an empty ISA slot: reads return all ones, writes vanish.
 *
 * Pure logic: it says what an access does (the effect) and leaves where bytes go to
 * the caller, so it builds freestanding and hosted and is unit-tested on the host.
 *
 * Wide accesses. The ISA bus splits a 16- or 32-bit access to 8-bit devices into
 * byte cycles at port, port+1, ...: each byte reaches the register at its own port,
 * and bytes at ports nobody claims read 0xff. The exit port is the exception: like
 * isa-debug-exit it takes the whole value of a write that starts at 0xf4. */
#ifndef NB_DEVICES_H
#define NB_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#define DEV_COM1 0x3f8
#define DEV_E9   0xe9

/* The 16550 registers a driver writes and reads back, and the receiver, which only
 * loopback mode (MCR.LOOP) ever fills. */
struct uart16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm, rbr;
	bool fifo;               /* FCR.FE: IIR then reports the FIFOs enabled */
	bool data_ready;         /* LSR.DR: rbr holds an unread byte */
};

struct devices {
	struct uart16550 com1;
};

enum dev_kind {
	DEV_DONE,                /* handled inside the device model */
	DEV_UNCLAIMED,           /* no device at any port of the access */
	DEV_COM1_BYTE,           /* COM1 transmitted the byte in value */
	DEV_E9_BYTE,             /* port 0xe9 received the byte in value */
	DEV_EXIT,                /* the guest's exit status (0..127) is in value */
	DEV_EXIT_INVALID,        /* the exit port got value, which is no exit status */
};

struct dev_effect {
	enum dev_kind kind;
	uint32_t value;          /* for dev_in: the data read, size bytes */
};

/* Power-on state: every register 0, as a 16550 resets. */
void dev_init(struct devices *d);

/* An IN of size 1, 2 or 4 bytes at port: DEV_DONE or DEV_UNCLAIMED, the data in
 * value (zero-extended to 32 bits). */
struct dev_effect dev_in(struct devices *d, uint16_t port, unsigned size);

/* The part of dev_in that needs no device state, inline: true, with *val set, for
 * a read of the debug port (0xe9, open bus above). The hypervisor answers it before
 * anything else, so the exit the vmexit.pio benchmark times makes no call. */
static inline bool dev_in_const(uint16_t port, unsigned size, uint32_t *val)
{
	if (port != DEV_E9)
		return false;
	*val = (uint32_t)((0xffffff00u | DEV_E9) & ((1ULL << (8 * size)) - 1));
	return true;
}

/* An OUT of the low size bytes (1, 2 or 4) of data at port. At most one byte leaves
 * the machine per access: no access reaches two devices that transmit. */
struct dev_effect dev_out(struct devices *d, uint16_t port, unsigned size, uint32_t data);

#endif
