#!/usr/bin/env bash
# Chaos cases the guest must survive: every reserved-bit write, VMX instruction,
# random MSR and port access gets the architectural answer (#GP, #UD, all ones), and
# garbage hypercalls get error codes. Bare Bochs must agree with the hypervisor.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
CHAOS=build/l2-guests/chaos.elf
for c in cr msr io invd hypercall mmio; do
	boot_run "hv-$c" bochs --timeout 120 $HV "nested=off" $CHAOS "case=$c"
	expect_status 0
	if grep -a -q '^FAIL ' "$RUNS/hv-$c/serial.log"; then fail "case=$c under the hypervisor"; fi
	hv_sane
done
expect_line '^PASS hc-info: HC_INFO returned level 1' hv-hypercall
expect_line '^PASS mmio-8: ' hv-mmio
for c in cr msr io invd; do
	boot_run "bare-$c" bochs --timeout 120 $CHAOS "case=$c"
	expect_status 0
done
for c in hypercall mmio; do
	boot_run "bare-$c" bochs --timeout 60 $CHAOS "case=$c"
	expect_status 77
done
echo ok
