/* kvm_io.c - port I/O device model of kvmrun; see kvm_io.h for the device set. */
#include <string.h>

#include "kvm_io.h"

/* 16550 register offsets from the base port and the bits we act on. */
#define UART_RBR_THR   0        /* DLL while LCR.DLAB = 1 */
#define UART_IER       1        /* DLM while LCR.DLAB = 1 */
#define UART_IIR_FCR   2
#define UART_LCR       3
#define UART_MCR       4
#define UART_LSR       5
#define UART_MSR       6
#define UART_SCR       7
#define UART_LCR_DLAB  0x80
#define UART_LSR_THRE  0x20
#define UART_LSR_TEMT  0x40
#define UART_IIR_NO_INT 0x01    /* bit 0 set: no interrupt pending */
#define UART_IER_MASK  0x0f     /* the upper IER bits are reserved, read as 0 */

void kvm_io_init(struct kvm_io *io, FILE *console)
{
	memset(io, 0, sizeof(*io));
	io->console = console;
}

static void console_byte(struct kvm_io *io, uint8_t c)
{
	if (io->console)
		fputc(c, io->console);
}

/* Reads: the transmitter is always idle (THRE|TEMT), so a polling driver never
 * waits, and nothing is ever received. Written registers read back, since drivers
 * probe a UART by writing and reading LCR or SCR. */
static uint8_t uart_read(const struct kvm_io *io, unsigned reg)
{
	bool dlab = io->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR: return dlab ? io->dll : 0;
	case UART_IER:     return dlab ? io->dlm : io->ier;
	case UART_IIR_FCR: return UART_IIR_NO_INT;
	case UART_LCR:     return io->lcr;
	case UART_MCR:     return io->mcr;
	case UART_LSR:     return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_SCR:     return io->scr;
	default:           return 0; /* MSR: no modem lines */
	}
}

/* Writes: THR goes to the console unless DLAB turns offset 0 into the divisor latch
 * (every driver writes the divisor there at init: it is no character). */
static void uart_write(struct kvm_io *io, unsigned reg, uint8_t v)
{
	bool dlab = io->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			io->dll = v;
		else
			console_byte(io, v);
		break;
	case UART_IER:
		if (dlab)
			io->dlm = v;
		else
			io->ier = v & UART_IER_MASK;
		break;
	case UART_LCR: io->lcr = v; break;
	case UART_MCR: io->mcr = v; break;
	case UART_SCR: io->scr = v; break;
	default: break; /* FCR; LSR and MSR are read-only */
	}
}

/* Little-endian item of size bytes, as x86 port I/O transfers it. */
static uint32_t get_item(const uint8_t *p, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/* Byte-wise device: a 16- or 32-bit access to COM1 or 0xe9 touches port, port+1, ...
 * as the ISA bus splits it. The exit port takes the whole value instead, as QEMU's
 * isa-debug-exit (iosize=4) does. */
static enum kvm_io_result one_item(struct kvm_io *io, uint16_t port, bool in, unsigned size,
				   uint8_t *p)
{
	if (!in && port == KVM_IO_EXIT_PORT) {
		io->exited = true;
		io->exit_value = get_item(p, size);
		return KVM_IO_EXITED;
	}
	for (unsigned i = 0; i < size; i++) {
		uint16_t q = (uint16_t)(port + i);

		if (q >= KVM_IO_COM1 && q < KVM_IO_COM1 + 8) {
			if (in)
				p[i] = uart_read(io, q - KVM_IO_COM1);
			else
				uart_write(io, q - KVM_IO_COM1, p[i]);
		} else if (q == KVM_IO_E9) {
			if (in)
				p[i] = KVM_IO_E9;
			else
				console_byte(io, p[i]);
		} else {
			if (in)
				p[i] = 0xff;
			io->unclaimed++;
			io->unclaimed_last = q;
		}
	}
	return KVM_IO_CONTINUE;
}

enum kvm_io_result kvm_io_access(struct kvm_io *io, uint16_t port, bool in, unsigned size,
				 uint32_t count, uint8_t *data)
{
	for (uint32_t n = 0; n < count; n++)
		if (one_item(io, port, in, size, data + (size_t)n * size) == KVM_IO_EXITED)
			return KVM_IO_EXITED;
	return KVM_IO_CONTINUE;
}
