/* io.c - port I/O exits: the small device set a multiboot kernel expects.
 *   0x3f8-0x3ff  COM1, a 16550 that transmits instantly into our own console
 *   0xe9         debug port: writes go to our console, reads return 0xe9
 *   0xf4         exit port (QEMU isa-debug-exit convention): the guest's exit status
 * Any other port behaves like an empty PC bus slot: reads return all ones, writes
 * vanish. Those accesses are counted and reported, since they mean the guest looked
 * for a device we do not have. */
#include "console.h"
#include "exit.h"
#include "exits.h"
#include "printf.h"
#include "vmcs.h"

#define COM1_BASE 0x3f8
#define E9_PORT   0xe9
#define UART_LCR_DLAB 0x80
#define UART_LSR_IDLE 0x60 /* THRE | TEMT: always ready */
#define UART_IIR_NONE 0x01
#define UART_MSR_READY 0xb0 /* DCD | DSR | CTS */

uint64_t io_unclaimed, io_unclaimed_last_port;

static uint32_t uart_in(struct uart_state *u, unsigned reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case 0: return dlab ? u->dll : 0;   /* RBR: nothing ever arrives */
	case 1: return dlab ? u->dlm : u->ier;
	case 2: return UART_IIR_NONE;
	case 3: return u->lcr;
	case 4: return u->mcr;
	case 5: return UART_LSR_IDLE;
	case 6: return UART_MSR_READY;
	default: return u->scr;
	}
}

static void uart_out(struct uart_state *u, unsigned reg, uint8_t val)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case 0:
		if (dlab) {
			u->dll = val;
		} else {
			char c = (char)val;
			console_write(&c, 1);
		}
		break;
	case 1:
		if (dlab)
			u->dlm = val;
		else
			u->ier = val & 0x0f;
		break;
	case 3: u->lcr = val; break;
	case 4: u->mcr = val; break;
	case 7: u->scr = val; break;
	default: break; /* FCR, read-only LSR/MSR */
	}
}

enum exit_action handle_io(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	unsigned size = IO_QUAL_SIZE(q);
	uint16_t port = IO_QUAL_PORT(q);
	uint64_t *rax = &v->regs.gpr[GPR_RAX];
	uint32_t mask = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;

	if (q & IO_QUAL_STRING)
		return vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "string I/O (INS/OUTS) on port %#x is not emulated", port);
	if (q & IO_QUAL_IN) {
		uint32_t val;
		if (port >= COM1_BASE && port < COM1_BASE + 8)
			val = uart_in(&v->uart, port - COM1_BASE);
		else if (port == E9_PORT)
			val = E9_PORT;
		else {
			val = 0xffffffffu;
			io_unclaimed++;
			io_unclaimed_last_port = port;
		}
		/* IN to EAX zero-extends into RAX; to AL/AX it keeps the other bits. */
		*rax = size == 4 ? (val & mask) : ((*rax & ~(uint64_t)mask) | (val & mask));
	} else {
		uint32_t val = (uint32_t)*rax & mask;
		if (port >= COM1_BASE && port < COM1_BASE + 8) {
			uart_out(&v->uart, port - COM1_BASE, (uint8_t)val);
		} else if (port == E9_PORT) {
			char c = (char)val;
			console_write(&c, 1);
		} else if (port == EXIT_PORT) {
			printf("hv: guest wrote %u to the exit port\n", val);
			v->status = val <= 127 ? (int)val : EXIT_FAIL;
			return HV_STOP;
		} else {
			io_unclaimed++;
			io_unclaimed_last_port = port;
		}
	}
	vcpu_skip_insn();
	return HV_RESUME;
}
