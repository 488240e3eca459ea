#!/usr/bin/env bash
# Level 2 beyond the smoke guest passing (hv-nested-shadow-{on,off}-{4k,2m}.sh):
# our hypervisor with nested=on on Bochs (L0) runs our hypervisor (L1). First L1
# with fail_entry=guest: the entry to L2 fails on L2's guest state, and L1 itself
# must get the failure (exit reason 33, SDM 26.8) and report it, L0 ending with
# L1's own status, whether L1 reads the exit reason through VMCS shadowing or not.
# (An EPT violation that is L1's, L2 reading beyond the RAM L1 gave it, is chaos
# case beyond_ram at level 2: chaos-l2.sh.) Then L0's timeout= stays L0's while L2
# runs: its preemption timer stops the whole stack from level 2.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=hv-nested.bash
. "$(dirname "$0")/hv-nested.bash"

for shadow in on off; do
	boot_run "entry-guest-$shadow" bochs --timeout 60 --mem 1024 \
		"$HV" "nested=on shadow=$shadow mem=512m" "$HV" "mem=64m fail_entry=guest" "$SMOKE" ""
	expect_status 1
	expect_line '^hv: guest stopped: VM entry failed: exit reason 33 \(invalid guest state\)'
	log="$RUNS/$last/serial.log"
	[ "$(grep -a -c '^hv: exiting with status 1 (guest stopped by the hypervisor)$' "$log")" = 1 ] ||
		fail "L1 did not stop its guest itself (see $log)"
	[ "$(grep -a -c "^hv: exiting with status 1 (the guest's own status)$" "$log")" = 1 ] ||
		fail "L0 did not end with L1's own status (see $log)"
	both_sane
done

boot_run timeout bochs --timeout 60 --mem 1024 "$HV" "nested=on mem=512m timeout=2000000" \
	"$HV" "mem=64m" "$BENCH" "bench=vmexit.cpuid reps=50"
expect_status 5
expect_line '^hv: guest stopped: ran past timeout=2000000 TSC ticks'
expect_line '^@nb v=1 case=hv.exits reason=preemption_timer .* from_level=2$'
hv_sane

# L0 with 1 GiB EPT pages: EPT02 then composes L1's 2 MiB EPT12 leaves with one
# 1 GiB EPT01 page. L0's guest RAM is a 1 GiB-aligned GiB of Bochs RAM (hv-smoke-1g.sh).
boot_run ept-1g bochs --timeout 120 --mem 3072 "$HV" "nested=on mem=1g ept=1g" \
	"$HV" "mem=64m" "$SMOKE" "echo=level2"
expect_status 0
smoke_verdict || fail "smoke checks at level 2 (L0 ept=1g)"
expect_line '^hv: nestbench hypervisor at level 0 on bochs; ept=1g .* mem=1024M$'
expect_line '^@nb v=1 case=hv.exits reason=cpuid .* from_level=2$'
both_sane
echo ok
