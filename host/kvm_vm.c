/* kvm_vm.c - /dev/kvm for kvmrun: VM, guest RAM, vCPU, and the KVM_RUN loop.
 * Names and ioctl order follow Documentation/virt/kvm/api.rst. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_cpu.h"
#include "kvm_vm.h"

/* KVM_GET_SUPPORTED_CPUID says E2BIG until the array is large enough; hosts today
 * need under 100 entries, and we stop doubling at this many. */
#define CPUID_MAX_ENTRIES 4096

static int ioctl_failed(const char *what)
{
	fprintf(stderr, "kvmrun: %s failed: %s\n", what, strerror(errno));
	return KVMRUN_STOPPED;
}

int kvm_vm_open(struct kvm_vm *vm, const char *dev)
{
	int version;

	memset(vm, 0, sizeof(*vm));
	vm->dev = dev;
	vm->sys_fd = vm->vm_fd = vm->vcpu_fd = -1;
	vm->sys_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0) {
		fprintf(stderr, "kvmrun: /dev/kvm is not available here (open %s: %s); skipping\n",
			dev, strerror(errno));
		return KVMRUN_SKIP;
	}
	version = ioctl(vm->sys_fd, KVM_GET_API_VERSION, 0);
	if (version < 0) {
		fprintf(stderr, "kvmrun: /dev/kvm is not available here (%s: KVM_GET_API_VERSION "
			"failed: %s); skipping\n", dev, strerror(errno));
		return KVMRUN_SKIP;
	}
	if (version != KVM_API_VERSION_EXPECTED) {
		fprintf(stderr, "kvmrun: /dev/kvm is not available here (%s: KVM_GET_API_VERSION "
			"is %d, this launcher speaks %d); skipping\n", dev, version,
			KVM_API_VERSION_EXPECTED);
		return KVMRUN_SKIP;
	}
	return 0;
}

/* The host KVM's CPUID table, grown until KVM stops saying E2BIG. NULL on error. */
static struct kvm_cpuid2 *supported_cpuid(int sys_fd)
{
	for (unsigned n = 64; n <= CPUID_MAX_ENTRIES; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c)
			return NULL;
		c->nent = n;
		if (ioctl(sys_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG)
			return NULL;
	}
	errno = E2BIG;
	return NULL;
}

static int setup_cpuid(struct kvm_vm *vm, bool nested)
{
	struct kvm_cpuid2 *c = supported_cpuid(vm->sys_fd);
	int rc = 0;

	if (!c)
		return ioctl_failed("KVM_GET_SUPPORTED_CPUID");
	kvm_cpuid_filter(c->entries, c->nent, nested);
	if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c) < 0)
		rc = ioctl_failed("KVM_SET_CPUID2");
	free(c);
	return rc;
}

int kvm_vm_create(struct kvm_vm *vm, void *mem, uint64_t size, bool nested,
		  const struct loader_result *lr)
{
	struct kvm_userspace_memory_region ram = {
		.slot = 0, .flags = 0, .guest_phys_addr = 0, .memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	int mmap_size, rc;

	vm->vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return ioctl_failed("KVM_CREATE_VM");
	/* Intel without unrestricted guest runs real mode through a TSS of KVM's own;
	 * the address is ours to choose but must be set before the first KVM_RUN. AMD
	 * ignores it. */
	if (ioctl(vm->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 &&
	    ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_TSS_GPA) < 0)
		return ioctl_failed("KVM_SET_TSS_ADDR");
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &ram) < 0)
		return ioctl_failed("KVM_SET_USER_MEMORY_REGION");
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return ioctl_failed("KVM_CREATE_VCPU");
	mmap_size = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(struct kvm_run))
		return ioctl_failed("KVM_GET_VCPU_MMAP_SIZE");
	vm->run_size = (size_t)mmap_size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return ioctl_failed("mmap of the vCPU's kvm_run");
	}
	if ((rc = setup_cpuid(vm, nested)))
		return rc;
	/* GET first: apic_base and interrupt_bitmap stay as KVM initialised them. */
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return ioctl_failed("KVM_GET_SREGS");
	kvm_boot_state(lr, &regs, &sregs);
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
		return ioctl_failed("KVM_SET_SREGS");
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return ioctl_failed("KVM_SET_REGS");
	return 0;
}

/* ---- timeout ----------------------------------------------------------------
 * SIGALRM without SA_RESTART makes a KVM_RUN in progress return EINTR. If the
 * signal lands while we are in userspace serving an exit, immediate_exit makes the
 * next KVM_RUN return EINTR at once, so no window is left where the alarm is lost. */
static struct kvm_run *volatile alarm_run;
static volatile sig_atomic_t timed_out;
static unsigned timeout_seconds;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (alarm_run)
		alarm_run->immediate_exit = 1;
}

void kvm_vm_set_timeout(struct kvm_vm *vm, unsigned seconds)
{
	struct sigaction sa;

	if (!seconds)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm_run = vm->run;
	timeout_seconds = seconds;
	alarm(seconds);
}

/* ---- stopping ------------------------------------------------------------- */

/* Where the guest was: enough to find the instruction in the kernel's ELF64. */
static void print_state(struct kvm_vm *vm)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0 || ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0)
		return;
	fprintf(stderr, "kvmrun: guest state: rip=%#llx rsp=%#llx rflags=%#llx cs=%#x "
		"cr0=%#llx cr2=%#llx cr3=%#llx cr4=%#llx efer=%#llx\n",
		r.rip, r.rsp, r.rflags, s.cs.selector, s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
}

static int stopped(struct kvm_vm *vm, const char *why)
{
	char buf[32];

	fprintf(stderr, "kvmrun: guest stopped: %s: %s\n",
		kvm_exit_name(vm->run->exit_reason, buf, sizeof(buf)), why);
	print_state(vm);
	return KVMRUN_STOPPED;
}

static const char *internal_error_name(uint32_t suberror)
{
	switch (suberror) {
	case KVM_INTERNAL_ERROR_EMULATION: return "KVM_INTERNAL_ERROR_EMULATION";
	case KVM_INTERNAL_ERROR_SIMUL_EX: return "KVM_INTERNAL_ERROR_SIMUL_EX";
	case KVM_INTERNAL_ERROR_DELIVERY_EV: return "KVM_INTERNAL_ERROR_DELIVERY_EV";
	case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
		return "KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON";
	default: return "unknown suberror";
	}
}

/* One exit that is not port I/O: always the end of the run, with its reason. */
static int stop_exit(struct kvm_vm *vm)
{
	struct kvm_run *run = vm->run;
	char why[512];
	int n;

	switch (run->exit_reason) {
	case KVM_EXIT_HLT: {
		/* No interrupt controller and no timer exist in this VM: a HLT never
		 * wakes, with IF clear or set. */
		struct kvm_regs r;
		bool intr = ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) == 0 && (r.rflags & (1u << 9));
		snprintf(why, sizeof(why), "HLT with interrupts %s; nothing in this VM can "
			 "wake it", intr ? "enabled" : "disabled");
		break;
	}
	case KVM_EXIT_MMIO:
		snprintf(why, sizeof(why), "%u-byte %s at guest-physical %#llx, outside guest "
			 "RAM (only RAM is mapped)", run->mmio.len,
			 run->mmio.is_write ? "write" : "read", run->mmio.phys_addr);
		break;
	case KVM_EXIT_SHUTDOWN:
		snprintf(why, sizeof(why), "the guest shut down (a triple fault)");
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, sizeof(why), "VM entry failed, hardware entry failure reason "
			 "%#llx", run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_UNKNOWN:
		snprintf(why, sizeof(why), "hardware exit reason %#llx",
			 run->hw.hardware_exit_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		n = snprintf(why, sizeof(why), "suberror %u (%s)", run->internal.suberror,
			     internal_error_name(run->internal.suberror));
		for (uint32_t i = 0; i < run->internal.ndata && i < 16 && n < (int)sizeof(why) - 24; i++)
			n += snprintf(why + n, sizeof(why) - (size_t)n, "%s%#llx",
				      i ? " " : ", data ", run->internal.data[i]);
		break;
	default:
		snprintf(why, sizeof(why), "an exit this launcher does not serve");
		break;
	}
	return stopped(vm, why);
}

int kvm_vm_run(struct kvm_vm *vm, struct kvm_io *io)
{
	struct kvm_run *run = vm->run;

	for (;;) {
		if (timed_out) {
			fprintf(stderr, "kvmrun: TIMEOUT after %us: the guest was stopped\n",
				timeout_seconds);
			print_state(vm);
			return KVMRUN_TIMEOUT;
		}
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			/* EINTR: a signal (our alarm, checked above); EAGAIN: KVM asks us
			 * to retry. Neither is an error of the guest. */
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "kvmrun: KVM_RUN failed: %s\n", strerror(errno));
			print_state(vm);
			return KVMRUN_STOPPED;
		}
		vm->exits++;
		if (run->exit_reason == KVM_EXIT_INTR)
			continue;
		if (run->exit_reason != KVM_EXIT_IO)
			return stop_exit(vm);
		enum kvm_io_result r = kvm_io_access(io, run->io.port,
						     run->io.direction == KVM_EXIT_IO_IN,
						     run->io.size, run->io.count,
						     (uint8_t *)run + run->io.data_offset);
		if (r == KVM_IO_CONTINUE)
			continue;
		fprintf(stderr, "kvmrun: guest wrote %u to the exit port\n", io->exit_value);
		if (r == KVM_IO_BAD_EXIT) {
			fprintf(stderr, "kvmrun: exit port value %u is no exit status (0..127)\n",
				io->exit_value);
			return KVMRUN_STOPPED;
		}
		return (int)io->exit_value;
	}
}
