/* io.c - port I/O exits: the device model of devices.c, wired to the platform the
 * hypervisor itself runs on. The guest's COM1 bytes go to our COM1 and its port
 * 0xe9 bytes to our port 0xe9, whatever console= chose for our own messages, so a
 * guest that writes both sees each byte once on each. Accesses to ports nobody
 * claims are counted and reported: the guest looked for a device we do not have. */
#include "console.h"
#include "devices.h"
#include "exit.h"
#include "exits.h"
#include "printf.h"
#include "vmcs.h"

uint64_t io_unclaimed, io_unclaimed_last_port;

/* IN to EAX zero-extends into RAX; to AL/AX it keeps the other bits. */
static inline void set_in(uint64_t *rax, unsigned size, uint32_t val)
{
	uint64_t keep = size == 4 ? 0 : ~((1ULL << (8 * size)) - 1);

	*rax = (*rax & keep) | val;
}

/* Any access: the device model's answer, then whatever it sends out. */
static __attribute__((noinline)) enum exit_action any_access(struct vcpu *v, uint64_t q)
{
	unsigned size = IO_QUAL_SIZE(q);
	uint16_t port = IO_QUAL_PORT(q);
	uint64_t *rax = &v->regs.gpr[GPR_RAX];
	struct dev_effect e;

	if (q & IO_QUAL_STRING)
		return vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "string I/O (INS/OUTS) on port %#x is not emulated", port);
	if (q & IO_QUAL_IN) {
		e = dev_in(&v->dev, port, size);
		set_in(rax, size, e.value);
	} else {
		e = dev_out(&v->dev, port, size, (uint32_t)*rax);
	}
	char c = (char)e.value;
	switch (e.kind) {
	case DEV_DONE:
		break;
	case DEV_UNCLAIMED:
		io_unclaimed++;
		io_unclaimed_last_port = port;
		break;
	case DEV_COM1_BYTE:
		console_write_to(CONSOLE_COM1, &c, 1);
		break;
	case DEV_E9_BYTE:
		console_write_to(CONSOLE_E9, &c, 1);
		break;
	case DEV_EXIT:
		printf("hv: guest wrote %u to the exit port\n", e.value);
		v->status = (int)e.value;
		return HV_STOP;
	case DEV_EXIT_INVALID:
		return vcpu_stop(v, EXIT_GUEST_STOPPED,
				 "guest wrote %u to the exit port: no exit status (0..127)", e.value);
	}
	vcpu_skip_insn();
	return HV_RESUME;
}

enum exit_action handle_io(struct vcpu *v)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	uint32_t val;

	/* A read that needs no device state first, without a call: the path the
	 * vmexit.pio benchmark times. */
	if ((q & (IO_QUAL_IN | IO_QUAL_STRING)) == IO_QUAL_IN &&
	    dev_in_const(IO_QUAL_PORT(q), IO_QUAL_SIZE(q), &val)) {
		set_in(&v->regs.gpr[GPR_RAX], IO_QUAL_SIZE(q), val);
		vcpu_skip_insn();
		return HV_RESUME;
	}
	return any_access(v, q);
}
