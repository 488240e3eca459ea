#!/usr/bin/env bash
# shadow=on where there is no VMCS shadowing to use is a skip with the reason, never
# a silent fallback: on Bochs's Sandy Bridge model (no "VMCS shadowing" control), and
# for a hypervisor at level 1 under ours with shadow=on, which must not be offered
# VMCS shadowing (vmm/nested/caps12.c withdraws it): that L1 skips, and L0 ends with
# L1's status.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=hv-nested.bash
. "$(dirname "$0")/hv-nested.bash"

boot_run snb bochs --timeout 60 --model corei7_sandy_bridge_2600k "$HV" "nested=on shadow=on" \
	"$SMOKE" ""
expect_status 77
expect_line '^hv: shadow=on unsupported: this CPU has no VMCS shadowing '

boot_run l1 bochs --timeout 60 --mem 1024 "$HV" "nested=on shadow=on mem=512m" \
	"$HV" "nested=on shadow=on mem=64m" "$SMOKE" ""
expect_status 77
expect_line '^hv: nestbench hypervisor at level 1 on bochs;'
expect_line '^hv: shadow=on unsupported: this CPU has no VMCS shadowing '
log="$RUNS/$last/serial.log"
[ "$(grep -a -c "^hv: exiting with status 77 (the guest's own status)$" "$log")" = 1 ] ||
	fail "L0 did not end with L1's skip (see $log)"
echo ok
