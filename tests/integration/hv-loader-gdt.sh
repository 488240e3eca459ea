#!/usr/bin/env bash
# A kernel may take an exception before it loads its own GDT, relying on the flat
# GDT that GRUB and QEMU -kernel leave: the early guest, at its entry point, reloads
# every data segment register and takes a #UD through an IDT gate naming the
# loader's CS. It must pass bare under QEMU -kernel and GRUB (Bochs), under our
# hypervisor on Bochs, and under kvmrun where /dev/kvm works; with the empty GDT the
# hypervisor used to hand over, the guest triple-faulted.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
EARLY=build/l2-guests/early.elf
early_ok() {
	expect_status 0
	expect_line '^PASS loader-gdt: '
	expect_line '^PASS loader-cs: '
	expect_line '^early: 2 passed, 0 failed'
}
boot_run qemu qemu --timeout 60 $EARLY ""
early_ok
boot_run grub bochs --timeout 60 $EARLY ""
early_ok
boot_run hv bochs --timeout 60 $HV "" $EARLY ""
early_ok
expect_line '^loader: cs=0x8 ds=0x10 ss=0x10 gdt_limit=0x17$'
hv_sane
boot_run kvm kvm --timeout 60 $EARLY ""
if [ "$status" = 77 ]; then
	echo "kvmrun: no /dev/kvm here, not run"
else
	early_ok
	expect_line '^loader: cs=0x8 ds=0x10 ss=0x10 gdt_limit=0x17$'
fi
echo ok
