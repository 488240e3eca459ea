/* console.c - 16550 UART on COM1 (polled) and the 0xE9 port. */
#include "console.h"
#include "cpu.h"

#define COM1      0x3F8
#define UART_DATA 0      /* DLL when LCR.DLAB = 1 */
#define UART_IER  1      /* DLM when LCR.DLAB = 1 */
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define LCR_8N1   0x03
#define LCR_DLAB  0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0B
#define LSR_THRE  0x20   /* transmit holding register empty */
#define LSR_TEMT  0x40   /* transmitter completely empty */
#define E9_PORT   0xE9
#define SPIN_LIMIT 1000000

static unsigned sinks = CONSOLE_COM1;

void console_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1); /* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

void console_select(unsigned s)
{
	sinks = s ? s : CONSOLE_COM1;
}

static void wait_lsr(unsigned char bit)
{
	for (int i = 0; i < SPIN_LIMIT && !(inb(COM1 + UART_LSR) & bit); i++)
		pause();
}

void console_write_to(unsigned to, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (to & CONSOLE_COM1) {
			wait_lsr(LSR_THRE);
			outb(COM1 + UART_DATA, (unsigned char)s[i]);
		}
		if (to & CONSOLE_E9)
			outb(E9_PORT, (unsigned char)s[i]);
	}
}

void console_write(const char *s, size_t n)
{
	console_write_to(sinks, s, n);
}

void console_flush(void)
{
	if (sinks & CONSOLE_COM1)
		wait_lsr(LSR_TEMT);
}
