/* test_devices.c - unit tests for the port I/O device model both the hypervisor and
 * kvmrun use (vmm/devices.c): the 16550's registers as a driver reads them, THR
 * writes, loopback, port 0xe9, the exit port's sizes and range, wide accesses split
 * as the ISA bus splits them, and unclaimed ports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "devices.h"

#define COM1 DEV_COM1
#define RBR (COM1 + 0)
#define IER (COM1 + 1)
#define IIR (COM1 + 2)
#define LCR (COM1 + 3)
#define MCR (COM1 + 4)
#define LSR (COM1 + 5)
#define MSR (COM1 + 6)
#define SCR (COM1 + 7)

static struct devices d;

static int setup(void **state)
{
	(void)state;
	dev_init(&d);
	return 0;
}

/* A read that must be answered by a device, not the open bus. */
static uint32_t in(uint16_t port, unsigned size)
{
	struct dev_effect e = dev_in(&d, port, size);

	assert_int_equal(e.kind, DEV_DONE);
	return e.value;
}

/* A write that must stay inside the device model. */
static void out(uint16_t port, unsigned size, uint32_t v)
{
	assert_int_equal(dev_out(&d, port, size, v).kind, DEV_DONE);
}

/* Power-on: a 16550A with a ready terminal on the line and nothing received. */
static void test_uart_reset(void **state)
{
	(void)state;
	assert_int_equal(in(RBR, 1), 0);
	assert_int_equal(in(IER, 1), 0);
	assert_int_equal(in(IIR, 1), 0x01);     /* no interrupt pending, FIFOs off */
	assert_int_equal(in(LCR, 1), 0);
	assert_int_equal(in(MCR, 1), 0);
	assert_int_equal(in(LSR, 1), 0x60);     /* THRE | TEMT, no data ready */
	assert_int_equal(in(MSR, 1), 0xb0);     /* DCD | DSR | CTS */
	assert_int_equal(in(SCR, 1), 0);
}

/* lib/console.c's init sequence; then THR bytes leave, the divisor does not. */
static void test_uart_driver(void **state)
{
	(void)state;
	out(IER, 1, 0);
	out(LCR, 1, 0x80);                      /* DLAB: offsets 0 and 1 are the divisor */
	out(RBR, 1, 1);                         /* DLL: no character */
	out(IER, 1, 0x02);                      /* DLM */
	assert_int_equal(in(RBR, 1), 1);
	assert_int_equal(in(IER, 1), 0x02);
	out(LCR, 1, 0x03);
	assert_int_equal(in(IER, 1), 0);        /* the real IER again */
	out(IIR, 1, 0x07);                      /* FCR: FIFOs on */
	assert_int_equal(in(IIR, 1), 0xc1);     /* 16550A: FIFOs enabled, no interrupt */
	out(MCR, 1, 0x0b);
	struct dev_effect e = dev_out(&d, RBR, 1, 'h');
	assert_int_equal(e.kind, DEV_COM1_BYTE);
	assert_int_equal(e.value, 'h');
	assert_int_equal(in(LSR, 1), 0x60);     /* sent at once: always ready */
	assert_int_equal(in(LCR, 1), 0x03);
	assert_int_equal(in(MCR, 1), 0x0b);
	assert_int_equal(in(MSR, 1), 0xb0);
	out(SCR, 1, 0xa5);                      /* a probe's scratch value reads back */
	assert_int_equal(in(SCR, 1), 0xa5);
	out(IIR, 1, 0x06);                      /* FCR: FIFOs off again */
	assert_int_equal(in(IIR, 1), 0x01);
}

static void test_uart_masks(void **state)
{
	(void)state;
	out(IER, 1, 0xff);                      /* bits 7:4 reserved */
	assert_int_equal(in(IER, 1), 0x0f);
	out(MCR, 1, 0xef);                      /* bits 7:5 reserved; LOOP stays clear */
	assert_int_equal(in(MCR, 1), 0x0f);
	out(LSR, 1, 0x00);                      /* LSR and MSR are read-only */
	out(MSR, 1, 0x00);
	assert_int_equal(in(LSR, 1), 0x60);
	assert_int_equal(in(MSR, 1), 0xb0);
}

/* Loopback: MCR outputs drive the MSR inputs, THR bytes come back through RBR and
 * none goes out on the line. */
static void test_uart_loopback(void **state)
{
	(void)state;
	out(MCR, 1, 0x10);
	assert_int_equal(in(MSR, 1), 0x00);
	out(MCR, 1, 0x11);                      /* DTR -> DSR */
	assert_int_equal(in(MSR, 1), 0x20);
	out(MCR, 1, 0x12);                      /* RTS -> CTS */
	assert_int_equal(in(MSR, 1), 0x10);
	out(MCR, 1, 0x14);                      /* OUT1 -> RI */
	assert_int_equal(in(MSR, 1), 0x40);
	out(MCR, 1, 0x18);                      /* OUT2 -> DCD */
	assert_int_equal(in(MSR, 1), 0x80);
	out(RBR, 1, 0x5a);                      /* DEV_DONE: nothing transmitted */
	assert_int_equal(in(LSR, 1), 0x61);     /* data ready */
	assert_int_equal(in(RBR, 1), 0x5a);
	assert_int_equal(in(LSR, 1), 0x60);     /* read: DR clears */
	out(MCR, 1, 0x0b);
	assert_int_equal(in(MSR, 1), 0xb0);     /* back on the line */
	assert_int_equal(dev_out(&d, RBR, 1, 'x').kind, DEV_COM1_BYTE);
}

static void test_e9(void **state)
{
	struct dev_effect e;
	uint32_t v;

	(void)state;
	e = dev_out(&d, 0xe9, 1, 'k');
	assert_int_equal(e.kind, DEV_E9_BYTE);
	assert_int_equal(e.value, 'k');
	assert_int_equal(in(0xe9, 1), 0xe9);    /* Bochs's answer: the port is there */
	assert_int_equal(in(0xe9, 2), 0xffe9);  /* 0xea is open bus */
	assert_int_equal(in(0xe9, 4), 0xffffffe9);
	/* The inline answer the hypervisor gives first is the same. */
	assert_true(dev_in_const(0xe9, 4, &v));
	assert_int_equal(v, 0xffffffe9);
	assert_false(dev_in_const(RBR, 1, &v));
	/* A wide write reaches 0xe9 with its own byte. */
	e = dev_out(&d, 0xe8, 2, 'Z' << 8 | 'y');
	assert_int_equal(e.kind, DEV_E9_BYTE);
	assert_int_equal(e.value, 'Z');
	assert_int_equal(in(0xe8, 2), 0xe9ff);
}

/* The exit port takes the whole value of a write that starts at 0xf4, of any size;
 * only 0..127 is an exit status (lib/exit.h). */
static void test_exit_port(void **state)
{
	static const struct { unsigned size; uint32_t data, value; enum dev_kind kind; } c[] = {
		{ 1, 0, 0, DEV_EXIT },
		{ 1, 7, 7, DEV_EXIT },
		{ 1, 127, 127, DEV_EXIT },
		{ 1, 128, 128, DEV_EXIT_INVALID },
		{ 1, 0x1205, 0x05, DEV_EXIT },          /* OUTB writes the low byte only */
		{ 2, 42, 42, DEV_EXIT },
		{ 2, 0x1234, 0x1234, DEV_EXIT_INVALID },
		{ 4, 3, 3, DEV_EXIT },
		{ 4, 255, 255, DEV_EXIT_INVALID },      /* fits a process status: still none */
		{ 4, 0x12345600, 0x12345600, DEV_EXIT_INVALID }, /* not truncated to 0 */
		{ 4, 0xffffffff, 0xffffffff, DEV_EXIT_INVALID },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct dev_effect e = dev_out(&d, 0xf4, c[i].size, c[i].data);
		assert_int_equal(e.kind, c[i].kind);
		assert_int_equal(e.value, c[i].value);
	}
	/* Reads end nothing, and neither do writes that only overlap 0xf4. */
	assert_int_equal(dev_in(&d, 0xf4, 4).kind, DEV_UNCLAIMED);
	assert_int_equal(dev_in(&d, 0xf4, 1).value, 0xff);
	assert_int_equal(dev_out(&d, 0xf5, 1, 0).kind, DEV_UNCLAIMED);
	assert_int_equal(dev_out(&d, 0xf2, 4, 0).kind, DEV_UNCLAIMED);
}

/* Byte cycles at port, port+1, ...: each byte reaches its own register. */
static void test_wide_access(void **state)
{
	struct dev_effect e;

	(void)state;
	e = dev_out(&d, RBR, 2, 0x0a00 | 'x');  /* THR and IER */
	assert_int_equal(e.kind, DEV_COM1_BYTE);
	assert_int_equal(e.value, 'x');
	assert_int_equal(in(IER, 1), 0x0a);
	out(SCR, 1, 0x77);
	out(MCR, 1, 0x0b);
	assert_int_equal(in(MCR, 4), 0x77b0600b); /* MCR, LSR, MSR, SCR */
	assert_int_equal(in(LSR, 2), 0xb060);
	/* Across the ends of COM1: the bytes outside it are open bus. */
	assert_int_equal(in(SCR, 2), 0xff77);
	assert_int_equal(in(COM1 - 2, 4), 0x0a00ffff);  /* 3f6, 3f7, RBR, IER */
	e = dev_out(&d, COM1 - 2, 4, 'q' << 16);      /* THR is the third byte */
	assert_int_equal(e.kind, DEV_COM1_BYTE);
	assert_int_equal(e.value, 'q');
	assert_int_equal(in(IER, 1), 0);
	/* A 32-bit write under DLAB sets both divisor bytes and sends nothing. */
	out(LCR, 1, 0x80);
	out(RBR, 4, 0x80000c01);                /* DLL, DLM, FCR, LCR */
	assert_int_equal(in(RBR, 2), 0x0c01);
	assert_int_equal(in(LCR, 1), 0x80);
}

/* No device at any port of the access: all ones, counted by the caller. */
static void test_unclaimed(void **state)
{
	struct dev_effect e;

	(void)state;
	e = dev_in(&d, 0x61, 1);
	assert_int_equal(e.kind, DEV_UNCLAIMED);
	assert_int_equal(e.value, 0xff);
	e = dev_in(&d, 0x70, 2);
	assert_int_equal(e.kind, DEV_UNCLAIMED);
	assert_int_equal(e.value, 0xffff);
	e = dev_in(&d, 0xcfc, 4);
	assert_int_equal(e.kind, DEV_UNCLAIMED);
	assert_int_equal(e.value, 0xffffffff);
	assert_int_equal(dev_out(&d, 0x80, 1, 0).kind, DEV_UNCLAIMED);
	assert_int_equal(dev_out(&d, 0x400, 4, 0).kind, DEV_UNCLAIMED); /* just past COM1 */
	assert_int_equal(dev_out(&d, 0xffff, 4, 0).kind, DEV_UNCLAIMED);
	assert_int_equal(dev_in(&d, COM1 - 4, 4).kind, DEV_UNCLAIMED); /* just below it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_uart_reset, setup),
		cmocka_unit_test_setup(test_uart_driver, setup),
		cmocka_unit_test_setup(test_uart_masks, setup),
		cmocka_unit_test_setup(test_uart_loopback, setup),
		cmocka_unit_test_setup(test_e9, setup),
		cmocka_unit_test_setup(test_exit_port, setup),
		cmocka_unit_test_setup(test_wide_access, setup),
		cmocka_unit_test_setup(test_unclaimed, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
