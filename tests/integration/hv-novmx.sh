#!/usr/bin/env bash
# Without VT-x (QEMU TCG offers none) the hypervisor says so and skips (77) cleanly.
. "$(dirname "$0")/lib.sh"
last=novmx; boot_run novmx qemu --timeout 60 $HV "" $SMOKE ""
expect_status 77
expect_line '^hv: VT-x unavailable: CPUID.1:ECX.VMX\[5\] is clear; skipping$'
echo ok
