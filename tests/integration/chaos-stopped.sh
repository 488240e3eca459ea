#!/usr/bin/env bash
# Chaos cases the hypervisor must stop, each with a specific report, without
# crashing, hanging or changing its own memory (self-checksum). The cases and
# their reports are chaos.bash's, shared with chaos-l2.sh.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=chaos.bash
. "$(dirname "$0")/chaos.bash"
for c in "${CHAOS_STOPPED[@]}"; do
	boot_run "$c" bochs --timeout 120 $HV "nested=off mem=64m ${CHAOS_STOP_ARGS[$c]:-}" $CHAOS "case=$c"
	expect_status 5
	expect_line "^hv: guest stopped: ${CHAOS_STOP_REPORT[$c]}"
	hv_sane
done
# pte_escape with count=4: the accessed/dirty flags the processor sets, the reference
# for paging=shadow's (chaos-shadow.sh).
boot_run pte_escape bochs --timeout 120 $HV "nested=off mem=64m" $CHAOS "case=pte_escape count=4"
expect_status 5
expect_line '^hv: guest stopped: EPT violation: read of guest-physical 0x4000028, outside its 64 MiB of RAM \(while walking its own page tables\)'
hv_sane
for c in pte-dirty pte-image pte-frame pte-large; do expect_line "^PASS $c: " pte_escape; done
boot_run ram_sweep bochs --timeout 120 $HV "nested=off mem=64m" $CHAOS "case=ram_sweep"
expect_status 0
hv_sane ram_sweep
echo ok
