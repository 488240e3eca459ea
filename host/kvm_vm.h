/* kvm_vm.h - the /dev/kvm side of kvmrun: one VM, one vCPU, guest RAM at
 * guest-physical 0, and the KVM_RUN loop that serves its exits. */
#ifndef NB_KVM_VM_H
#define NB_KVM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "kvm_io.h"
#include "loader.h"

/* kvmrun's own exit statuses, beside the kernel's 0..127 (lib/exit.h). */
#define KVMRUN_BADARGS 4    /* our input is wrong: the kernels' "bad command line" */
#define KVMRUN_SKIP    77   /* no usable /dev/kvm here */
#define KVMRUN_TIMEOUT 124  /* as timeout(1) */
#define KVMRUN_STOPPED 125  /* the guest stopped without an exit status, or KVM failed */

/* KVM_GET_API_VERSION has answered 12 since Linux 2.6.22; any other answer is an
 * API this launcher was not written for. */
#define KVM_API_VERSION_EXPECTED 12

/* KVM needs three pages for the real-mode TSS on Intel hosts without unrestricted
 * guest (Documentation/virt/kvm/api.rst, KVM_SET_TSS_ADDR), and it puts its
 * identity-map page just below them by default. Both must be outside guest RAM;
 * this is where QEMU puts them too, just under the 4 GiB BIOS area. */
#define KVM_TSS_GPA 0xfffbd000ULL
/* Guest RAM ends below the PCI hole a PC has at 3 GiB, well clear of those pages. */
#define KVM_RAM_MAX (3072ULL << 20)

struct kvm_vm {
	const char *dev;        /* the device, normally /dev/kvm */
	int sys_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;    /* the vCPU's shared page(s), from mmap on vcpu_fd */
	size_t run_size;
	uint64_t exits;         /* KVM_RUN returns, for the closing line */
};

/* Opens dev and checks the API version. 0, or KVMRUN_SKIP after a message saying
 * that /dev/kvm is not available here and why. */
int kvm_vm_open(struct kvm_vm *vm, const char *dev);

/* Creates the VM and its vCPU with mem (size bytes) as guest RAM at guest-physical
 * 0, the CPUID table (see kvm_cpuid_filter) and the multiboot boot state of lr.
 * 0, or KVMRUN_STOPPED after naming the ioctl that failed. */
int kvm_vm_create(struct kvm_vm *vm, void *mem, uint64_t size, bool nested,
		  const struct loader_result *lr);

/* Stops the run after seconds of wall time (0: never), with KVMRUN_TIMEOUT. */
void kvm_vm_set_timeout(struct kvm_vm *vm, unsigned seconds);

/* Runs the guest until it writes the exit port (returns the value it wrote when
 * that is 0..255), stops (KVMRUN_STOPPED, with the reason printed), or times out
 * (KVMRUN_TIMEOUT). */
int kvm_vm_run(struct kvm_vm *vm, struct kvm_io *io);

#endif
