#!/usr/bin/env bash
# Chaos cases the guest must survive, all in one boot: every reserved-bit write,
# VMX instruction, random MSR and port access gets the architectural answer (#GP,
# #UD, all ones), and garbage hypercalls get error codes. Bare Bochs runs the same
# cases: those that need the hypervisor (hypercall, mmio) skip there, the rest pass.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=chaos.bash
. "$(dirname "$0")/chaos.bash"
n=$(chaos_count "$CHAOS_SURVIVE")
boot_run hv bochs --timeout 120 $HV "nested=off" $CHAOS "case=$CHAOS_SURVIVE"
expect_status 0
if grep -a -q '^FAIL ' "$RUNS/hv/serial.log"; then fail "a check failed under the hypervisor"; fi
expect_line "^chaos: $n cases: $n ok, 0 failed, 0 skipped\$"
expect_line '^PASS hc-info: HC_INFO returned level 1'
expect_line '^PASS mmio-8: '
hv_sane
boot_run bare bochs --timeout 120 $CHAOS "case=$CHAOS_SURVIVE"
expect_status 0
expect_line "^chaos: $n cases: $((n - 2)) ok, 0 failed, 2 skipped\$"
expect_line '^SKIP hypercall: no nestbench hypervisor'
expect_line '^SKIP mmio: no nestbench hypervisor'
echo ok
