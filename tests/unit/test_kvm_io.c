/* test_kvm_io.c - unit tests for kvmrun's port I/O (host/kvm_io.c): KVM's I/O exits
 * through the shared device model (vmm/devices.c, itself tested in test_devices.c).
 *
 * Each test plays the guest: it issues the IN/OUT exits KVM would hand over
 * (port, direction, size, count, data) and checks what reaches the COM1 and 0xe9
 * streams, what the guest reads back, and when the run ends with which status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_io.h"

struct fixture {
	struct kvm_io io;
	FILE *console, *e9;
	char *buf, *e9buf;
	size_t len, e9len;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->console = open_memstream(&f->buf, &f->len);
	f->e9 = open_memstream(&f->e9buf, &f->e9len);
	assert_non_null(f->console);
	assert_non_null(f->e9);
	kvm_io_init(&f->io, f->console, f->e9);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->console);
	fclose(f->e9);
	free(f->buf);
	free(f->e9buf);
	free(f);
	return 0;
}

/* What the COM1 console holds so far. */
static const char *console(struct fixture *f)
{
	fflush(f->console);
	return f->buf;
}

/* What the port 0xe9 stream holds so far. */
static const char *e9(struct fixture *f)
{
	fflush(f->e9);
	return f->e9buf;
}

static enum kvm_io_result out(struct fixture *f, uint16_t port, unsigned size, uint32_t v)
{
	uint8_t d[4];

	for (unsigned i = 0; i < 4; i++)
		d[i] = (uint8_t)(v >> (8 * i));
	return kvm_io_access(&f->io, port, false, size, 1, d);
}

static uint32_t in(struct fixture *f, uint16_t port, unsigned size)
{
	uint8_t d[4] = { 0x5a, 0x5a, 0x5a, 0x5a }; /* KVM's buffer holds stale bytes */
	uint32_t v = 0;

	assert_int_equal(kvm_io_access(&f->io, port, true, size, 1, d), KVM_IO_CONTINUE);
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)d[i] << (8 * i);
	return v;
}

/* lib/console.c's console_init, then a polled write of "hi\n" and the flush. */
static void test_com1_driver(void **state)
{
	struct fixture *f = *state;

	out(f, 0x3f9, 1, 0);    /* IER */
	out(f, 0x3fb, 1, 0x80); /* LCR.DLAB */
	out(f, 0x3f8, 1, 1);    /* DLL = 1: the divisor, no character */
	out(f, 0x3f9, 1, 0);    /* DLM */
	assert_int_equal(in(f, 0x3f8, 1), 1);   /* the divisor reads back */
	out(f, 0x3fb, 1, 0x03); /* 8N1, DLAB off */
	out(f, 0x3fa, 1, 0x07); /* FCR */
	out(f, 0x3fc, 1, 0x0b); /* MCR */
	for (const char *s = "hi\n"; *s; s++) {
		assert_int_equal(in(f, 0x3fd, 1), 0x60); /* LSR: THRE | TEMT */
		assert_int_equal(out(f, 0x3f8, 1, (uint8_t)*s), KVM_IO_CONTINUE);
	}
	assert_int_equal(in(f, 0x3fd, 1) & 0x40, 0x40);  /* console_flush waits for TEMT */
	assert_string_equal(console(f), "hi\n");
	assert_int_equal(in(f, 0x3fb, 1), 0x03);  /* LCR reads back */
	assert_int_equal(in(f, 0x3fc, 1), 0x0b);  /* MCR reads back */
	assert_int_equal(in(f, 0x3fa, 1), 0xc1);  /* IIR: FIFOs on (FCR), no interrupt */
	assert_int_equal(in(f, 0x3f8, 1), 0);     /* RBR: nothing is ever received */
	out(f, 0x3ff, 1, 0xa5);                   /* SCR: a probe's scratch value */
	assert_int_equal(in(f, 0x3ff, 1), 0xa5);
	out(f, 0x3f9, 1, 0xff);                   /* IER keeps only its 4 defined bits */
	assert_int_equal(in(f, 0x3f9, 1), 0x0f);
	assert_int_equal(f->io.unclaimed, 0);
	assert_string_equal(e9(f), "");
}

/* Port 0xe9 has a stream of its own: a guest that writes each character to COM1
 * and to 0xe9 (console=both) shows it once in each, never twice in one. */
static void test_e9_own_stream(void **state)
{
	struct fixture *f = *state;

	for (const char *s = "ok\n"; *s; s++) {
		assert_int_equal(out(f, 0x3f8, 1, (uint8_t)*s), KVM_IO_CONTINUE);
		assert_int_equal(out(f, 0xe9, 1, (uint8_t)*s), KVM_IO_CONTINUE);
	}
	assert_string_equal(console(f), "ok\n");
	assert_string_equal(e9(f), "ok\n");
	assert_int_equal(in(f, 0xe9, 1), 0xe9);   /* Bochs's answer: the port is there */
	assert_int_equal(f->io.unclaimed, 0);
}

/* lib/exit.c's exit(N): "@exit status=N" on COM1, the flush, then OUTL 0xf4. */
static void test_exit_sequence(void **state)
{
	struct fixture *f = *state;

	for (const char *s = "@exit status=42\n"; *s; s++) {
		in(f, 0x3fd, 1);
		assert_int_equal(out(f, 0x3f8, 1, (uint8_t)*s), KVM_IO_CONTINUE);
	}
	in(f, 0x3fd, 1);
	assert_int_equal(out(f, 0xf4, 4, 42), KVM_IO_EXITED);
	assert_int_equal(f->io.exit_value, 42);
	assert_string_equal(console(f), "@exit status=42\n");
}

static void test_exit_port_sizes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(out(f, 0xf4, 1, 0), KVM_IO_EXITED);
	assert_int_equal(f->io.exit_value, 0);
	assert_int_equal(out(f, 0xf4, 1, 7), KVM_IO_EXITED);
	assert_int_equal(f->io.exit_value, 7);
	assert_int_equal(out(f, 0xf4, 2, 127), KVM_IO_EXITED);
	assert_int_equal(f->io.exit_value, 127);
	/* All 32 bits, so a value that is no exit status is told apart, not truncated. */
	assert_int_equal(out(f, 0xf4, 2, 0x1234), KVM_IO_BAD_EXIT);
	assert_int_equal(f->io.exit_value, 0x1234);
	assert_int_equal(out(f, 0xf4, 4, 0x12345600), KVM_IO_BAD_EXIT);
	assert_int_equal(f->io.exit_value, 0x12345600);
	assert_int_equal(out(f, 0xf4, 1, 128), KVM_IO_BAD_EXIT);
	/* Reading the exit port ends nothing: it is an empty slot. */
	assert_int_equal(in(f, 0xf4, 1), 0xff);
}

static void test_unclaimed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(in(f, 0x61, 1), 0xff);
	assert_int_equal(in(f, 0x70, 2), 0xffff);
	assert_int_equal(in(f, 0xcfc, 4), 0xffffffff);
	assert_int_equal(out(f, 0x8900, 1, 'S'), KVM_IO_CONTINUE); /* Bochs shutdown port */
	assert_int_equal(f->io.unclaimed, 4);  /* accesses, not bytes */
	assert_int_equal(f->io.unclaimed_last, 0x8900);
	assert_string_equal(console(f), ""); /* nothing reached either stream */
	assert_string_equal(e9(f), "");
}

/* OUTSB/INSB: KVM hands a whole string in one exit, count items of size bytes. */
static void test_string_io(void **state)
{
	struct fixture *f = *state;
	uint8_t text[] = "abc", lsr[3] = { 0 };
	uint8_t exits[3] = { 9, 8, 7 };

	assert_int_equal(kvm_io_access(&f->io, 0x3f8, false, 1, 3, text), KVM_IO_CONTINUE);
	assert_int_equal(kvm_io_access(&f->io, 0x3fd, true, 1, 3, lsr), KVM_IO_CONTINUE);
	assert_memory_equal(lsr, ((uint8_t[]){ 0x60, 0x60, 0x60 }), 3);
	assert_string_equal(console(f), "abc");
	assert_int_equal(kvm_io_access(&f->io, 0xe9, false, 1, 2, text), KVM_IO_CONTINUE);
	assert_string_equal(e9(f), "ab");
	/* The first write to the exit port ends the run; the rest is never done. */
	assert_int_equal(kvm_io_access(&f->io, 0xf4, false, 1, 3, exits), KVM_IO_EXITED);
	assert_int_equal(f->io.exit_value, 9);
}

/* A 16-bit OUT to 0x3f8 is split by the bus: THR gets the low byte, IER the high;
 * KVM's buffer holds the bytes little-endian. */
static void test_wide_com1_access(void **state)
{
	struct fixture *f = *state;

	out(f, 0x3f8, 2, 0x0a00 | 'x');
	assert_string_equal(console(f), "x");
	assert_int_equal(in(f, 0x3f9, 1), 0x0a);
	/* A 32-bit IN at 0x3fc: MCR, LSR, MSR (DCD|DSR|CTS), SCR. */
	out(f, 0x3fc, 1, 0x0b);
	out(f, 0x3ff, 1, 0x77);
	assert_int_equal(in(f, 0x3fc, 4), 0x77b0600bu);
}

static void test_no_console(void **state)
{
	struct kvm_io io;

	(void)state;
	kvm_io_init(&io, NULL, NULL);
	uint8_t c = 'z';
	assert_int_equal(kvm_io_access(&io, 0x3f8, false, 1, 1, &c), KVM_IO_CONTINUE);
	assert_int_equal(kvm_io_access(&io, 0xe9, false, 1, 1, &c), KVM_IO_CONTINUE);
	assert_int_equal(io.unclaimed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_com1_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_e9_own_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_port_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unclaimed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_com1_access, setup, teardown),
		cmocka_unit_test(test_no_console),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
