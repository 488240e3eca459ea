#!/usr/bin/env bash
# Without VT-x (QEMU TCG offers none) the hypervisor says so and skips (77) cleanly.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run novmx qemu --timeout 60 $HV "" $SMOKE ""
expect_status 77
expect_line '^hv: VT-x unavailable: CPUID.1:ECX.VMX\[5\] is clear; skipping$'
echo ok
