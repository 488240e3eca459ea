/* kvm_io.c - kvmrun's port I/O glue; see kvm_io.h. */
#include <string.h>

#include "kvm_io.h"

void kvm_io_init(struct kvm_io *io, FILE *com1, FILE *e9)
{
	memset(io, 0, sizeof(*io));
	io->com1 = com1;
	io->e9 = e9;
	dev_init(&io->dev);
}

static void put(FILE *f, uint32_t c)
{
	if (f)
		fputc((int)(c & 0xff), f);
}

/* One item: little-endian, as x86 port I/O transfers it. */
static enum kvm_io_result one_item(struct kvm_io *io, uint16_t port, bool in, unsigned size,
				   uint8_t *p)
{
	struct dev_effect e;

	if (in) {
		e = dev_in(&io->dev, port, size);
		for (unsigned i = 0; i < size; i++)
			p[i] = (uint8_t)(e.value >> (8 * i));
	} else {
		uint32_t v = 0;
		for (unsigned i = 0; i < size; i++)
			v |= (uint32_t)p[i] << (8 * i);
		e = dev_out(&io->dev, port, size, v);
	}
	switch (e.kind) {
	case DEV_DONE:
		break;
	case DEV_UNCLAIMED:
		io->unclaimed++;
		io->unclaimed_last = port;
		break;
	case DEV_COM1_BYTE:
		put(io->com1, e.value);
		break;
	case DEV_E9_BYTE:
		put(io->e9, e.value);
		break;
	case DEV_EXIT:
		io->exit_value = e.value;
		return KVM_IO_EXITED;
	case DEV_EXIT_INVALID:
		io->exit_value = e.value;
		return KVM_IO_BAD_EXIT;
	}
	return KVM_IO_CONTINUE;
}

enum kvm_io_result kvm_io_access(struct kvm_io *io, uint16_t port, bool in, unsigned size,
				 uint32_t count, uint8_t *data)
{
	for (uint32_t n = 0; n < count; n++) {
		enum kvm_io_result r = one_item(io, port, in, size, data + (size_t)n * size);
		if (r != KVM_IO_CONTINUE)
			return r;
	}
	return KVM_IO_CONTINUE;
}
