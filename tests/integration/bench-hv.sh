#!/usr/bin/env bash
# The bench guest at level 1 under our hypervisor on Bochs: every family reports, all
# vmexit cases are timed, the 2D walk is counted through HC_WALK and matches the
# formula, and the CPUID round trip is deterministic (two runs, one figure).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run l1 bochs --timeout 300 $HV "ept=4k" $BENCH "reps=3 goal=200000"
expect_status 0
log=$RUNS/l1/serial.log
check_records "$log"
for c in cpuid vmcall pio msr mmio cr8 ud; do
	expect_record "$log" "case=vmexit\.$c params=- metric=round_trip unit=ticks clock=instructions platform=bochs level=1 hv=ept:4k,levels:4,ad:off,vpid:on,pmu:off,trap_ud:off,nested:on,below:none,paging:ept,shadow:on cpu=GenuineIntel-"
done
expect_record "$log" 'case=tlb\.chase params=page=4K,span=1M,lines=256 .*level=1 '
expect_record "$log" 'case=walk\.depth params=page=4K .*guest_refs=4 guest_page_level=1 ept_refs=4 ept_page_level=1 refs_walked=24 refs_formula=24'
expect_record "$log" 'case=walk\.depth params=page=2M .*refs_walked=19 refs_formula=19'
hv_sane l1
median() { grep -a -o -E "^@nb v=1 case=vmexit\.cpuid .* median=[0-9.]+" "$1" | sed 's/.*median=//'; }
boot_run again bochs --timeout 120 $HV "ept=4k trap_ud=on" $BENCH "bench=vmexit.cpuid,vmexit.ud reps=3 goal=200000"
expect_status 0
# With trap_ud=on the #UD becomes an exception exit that the hypervisor reflects.
expect_record "$RUNS/again/serial.log" 'case=vmexit\.ud .*trap_ud:on[, ].*median=[0-9]'
expect_line '^hv:   exception_nmi ' again
a=$(median "$log") b=$(median "$RUNS/again/serial.log")
{ [ -n "$a" ] && [ "$a" = "$b" ]; } || fail "CPUID round trip not deterministic under Bochs: $a vs $b"
echo "L1 CPUID round trip under Bochs: $a emulated instructions, twice"
echo ok
