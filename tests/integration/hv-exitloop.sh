#!/usr/bin/env bash
# Exit round trips as the guest sees them: at level 1 the CPUID, VMCALL and MMIO loops
# produce records and the emulated MMIO device answers correctly; bare, the cases
# that need our hypervisor say "unsupported" instead of a number.
. "$(dirname "$0")/lib.sh"
EXITLOOP=build/l2-guests/exitloop.elf
last=level1; boot_run level1 bochs --timeout 120 $HV "" $EXITLOOP "iters=500 reps=3"
expect_status 0
expect_line '^PASS mmio: id 0x4f494d4d424e, scratch 0xaabbccdd55667799'
for c in cpuid vmcall mmio; do
	expect_line "^@nb v=1 case=vmexit\.$c metric=round_trip unit=ticks clock=instructions platform=bochs iterations=500 repetitions=3 median=[0-9]+ "
done
hv_sane level1
last=bare; boot_run bare qemu --timeout 60 $EXITLOOP "iters=500 reps=3"
expect_status 0
expect_line '^@nb v=1 case=vmexit\.cpuid .*clock=tsc platform=qemu '
expect_line '^@nb v=1 case=vmexit\.vmcall platform=qemu status=unsupported'
expect_line '^@nb v=1 case=vmexit\.mmio platform=qemu status=unsupported'
echo ok
