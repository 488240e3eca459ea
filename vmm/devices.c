/* devices.c - COM1, port 0xe9 and the exit port; see devices.h for the device set.
 *
 * The UART reads as QEMU's 16550A with a file behind it: transmitter always empty
 * (LSR = THRE|TEMT), modem inputs DCD|DSR|CTS asserted (MSR = 0xb0, a terminal that
 * is there and ready; Bochs asserts only DSR|CTS, a bare port with nothing plugged
 * in reads 0), no interrupts (IIR: none pending), and loopback as the 16550 wires
 * it: MCR outputs read back as MSR inputs, a THR byte lands in RBR instead of on
 * the line. Written registers read back, since drivers probe a UART that way. */
#include "devices.h"
#include "exit.h"

/* 16550 register offsets from the base port and the bits this model acts on. */
#define UART_RBR_THR    0       /* DLL while LCR.DLAB = 1 */
#define UART_IER        1       /* DLM while LCR.DLAB = 1 */
#define UART_IIR_FCR    2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define UART_MSR        6
#define UART_SCR        7
#define UART_PORTS      8
#define UART_LCR_DLAB   0x80
#define UART_IER_MASK   0x0f    /* the upper IER bits are reserved, read as 0 */
#define UART_FCR_FE     0x01
#define UART_IIR_NO_INT 0x01    /* bit 0 set: no interrupt pending */
#define UART_IIR_FIFO   0xc0    /* FIFOs enabled (16550A) */
#define UART_MCR_MASK   0x1f    /* DTR, RTS, OUT1, OUT2, LOOP */
#define UART_MCR_DTR    0x01
#define UART_MCR_RTS    0x02
#define UART_MCR_OUT1   0x04
#define UART_MCR_OUT2   0x08
#define UART_MCR_LOOP   0x10
#define UART_LSR_DR     0x01
#define UART_LSR_THRE   0x20
#define UART_LSR_TEMT   0x40
#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_RI     0x40
#define UART_MSR_DCD    0x80

#define EXIT_STATUS_MAX 127     /* lib/exit.h: statuses are 0..127 */
#define OPEN_BUS        0xffffffffu

void dev_init(struct devices *d)
{
	*d = (struct devices){ 0 };
}

/* In loopback each modem output drives one input: DTR->DSR, RTS->CTS, OUT1->RI,
 * OUT2->DCD. Otherwise the lines of a connected, ready terminal. */
static uint8_t uart_msr(const struct uart16550 *u)
{
	if (!(u->mcr & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	return (uint8_t)(((u->mcr & UART_MCR_DTR) ? UART_MSR_DSR : 0) |
			 ((u->mcr & UART_MCR_RTS) ? UART_MSR_CTS : 0) |
			 ((u->mcr & UART_MCR_OUT1) ? UART_MSR_RI : 0) |
			 ((u->mcr & UART_MCR_OUT2) ? UART_MSR_DCD : 0));
}

static uint8_t uart_read(struct uart16550 *u, unsigned reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			return u->dll;
		u->data_ready = false;
		return u->rbr;
	case UART_IER:     return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR: return UART_IIR_NO_INT | (u->fifo ? UART_IIR_FIFO : 0);
	case UART_LCR:     return u->lcr;
	case UART_MCR:     return u->mcr;
	case UART_LSR:     return UART_LSR_THRE | UART_LSR_TEMT | (u->data_ready ? UART_LSR_DR : 0);
	case UART_MSR:     return uart_msr(u);
	default:           return u->scr;
	}
}

/* True when the write put v on the line: THR outside loopback. With DLAB set,
 * offset 0 is the divisor latch (every driver writes the divisor there at init: it
 * is no character). */
static bool uart_write(struct uart16550 *u, unsigned reg, uint8_t v)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab) {
			u->dll = v;
		} else if (u->mcr & UART_MCR_LOOP) {
			u->rbr = v;
			u->data_ready = true;
		} else {
			return true;
		}
		break;
	case UART_IER:
		if (dlab)
			u->dlm = v;
		else
			u->ier = v & UART_IER_MASK;
		break;
	case UART_IIR_FCR: u->fifo = v & UART_FCR_FE; break;
	case UART_LCR:     u->lcr = v; break;
	case UART_MCR:     u->mcr = v & UART_MCR_MASK; break;
	case UART_SCR:     u->scr = v; break;
	default:           break; /* LSR and MSR are read-only */
	}
	return false;
}

/* Does the access [port, port+size) touch [first, first+n)? */
static inline bool touches(uint16_t port, unsigned size, unsigned first, unsigned n)
{
	return port < first + n && port + size > first;
}

static inline uint32_t size_mask(unsigned size)
{
	return (uint32_t)((1ULL << (8 * size)) - 1);
}

struct dev_effect dev_in(struct devices *d, uint16_t port, unsigned size)
{
	uint32_t val = OPEN_BUS;
	enum dev_kind kind = DEV_DONE;

	if (dev_in_const(port, size, &val))
		return (struct dev_effect){ DEV_DONE, val };
	if (touches(port, size, DEV_COM1, UART_PORTS)) {
		for (unsigned i = 0; i < size; i++) {
			unsigned reg = port + i - DEV_COM1; /* wraps above 7 below COM1 */
			if (reg < UART_PORTS)
				val = (val & ~(0xffu << (8 * i))) |
				      (uint32_t)uart_read(&d->com1, reg) << (8 * i);
		}
	} else if (touches(port, size, DEV_E9, 1)) {
		unsigned shift = 8 * (DEV_E9 - port);
		val = (val & ~(0xffu << shift)) | (uint32_t)DEV_E9 << shift;
	} else {
		kind = DEV_UNCLAIMED;
	}
	return (struct dev_effect){ kind, val & size_mask(size) };
}

struct dev_effect dev_out(struct devices *d, uint16_t port, unsigned size, uint32_t data)
{
	data &= size_mask(size);
	if (port == EXIT_PORT)
		return (struct dev_effect){ data <= EXIT_STATUS_MAX ? DEV_EXIT : DEV_EXIT_INVALID,
					    data };
	if (touches(port, size, DEV_COM1, UART_PORTS)) {
		struct dev_effect e = { DEV_DONE, 0 };
		for (unsigned i = 0; i < size; i++) {
			unsigned reg = port + i - DEV_COM1;
			uint8_t b = (uint8_t)(data >> (8 * i));
			if (reg < UART_PORTS && uart_write(&d->com1, reg, b))
				e = (struct dev_effect){ DEV_COM1_BYTE, b };
		}
		return e;
	}
	if (touches(port, size, DEV_E9, 1))
		return (struct dev_effect){ DEV_E9_BYTE, (data >> (8 * (DEV_E9 - port))) & 0xff };
	return (struct dev_effect){ DEV_UNCLAIMED, 0 };
}
