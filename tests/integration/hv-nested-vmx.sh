#!/usr/bin/env bash
# The hypervisor with nested=on offers its guest VMX as bare hardware does: the chaos
# guest's case vmx (VMX instructions with CR4.VMXE clear, before VMXON and after
# VMXOFF; VMXON twice and with bad regions; CR0/CR4 changes VMX operation forbids;
# VMPTRLD/VMCLEAR of bad, reserved and foreign pointers; VMPTRST; VMREAD/VMWRITE of
# bad, read-only and 16-bit fields; unmapped and non-canonical operands; VMRESUME
# of a clear VMCS, VMLAUNCH with invalid controls and with no current VMCS; one real
# VMLAUNCH, then VMLAUNCH of the launched VMCS and VMRESUME; INVEPT/INVVPID of
# supported and unsupported types and with bad descriptors; VMXOFF) checks every
# answer against the SDM and prints it on a "vmx: name=answer" line. Those lines
# must be the same bare under Bochs (real VMX) and under our hypervisor on Bochs,
# with VMCS shadowing (the processor answers L1's VMREAD/VMWRITE of shadowed
# fields) and without (L0 answers them all),
# and the hypervisor must stay sane.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
CHAOS=build/l2-guests/chaos.elf
boot_run bare bochs --timeout 60 $CHAOS "case=vmx"
[ "$status" = 77 ] && skip "the platform offers no usable VMX to the bare guest"
expect_status 0
expect_line '^chaos vmx: [0-9]+ passed, 0 failed'
for shadow in on off; do
	boot_run "hv-shadow-$shadow" bochs --timeout 60 $HV "nested=on shadow=$shadow" $CHAOS "case=vmx"
	expect_status 0
	expect_line '^chaos vmx: [0-9]+ passed, 0 failed'
	hv_sane
	same_as_bare "vmx: " "hv-shadow-$shadow"
done
echo ok
