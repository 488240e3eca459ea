#!/usr/bin/env bash
# The page-table-event cases (pt.*) at level 1 under our hypervisor (EPT, 4K) on
# Bochs, and HC_EXITS: every record gives exits= per operation, exactly. CPUID exits
# once per operation; under EPT the guest owns its page tables, so a PTE change with
# INVLPG, a CR3 load, a first touch and a #PF the guest handles exit never. The
# framework reads the count with 3 hypercalls per repetition (the guest makes one
# more first, to see that the call is there), and the hypervisor's own statistics
# must show exactly those. The ptevents figure draws the EPT job and
# says that the shadow-paging one is missing.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
reps=3
boot_run l1 bochs --timeout 120 $HV "ept=4k" $BENCH "bench=pt.*,vmexit.cpuid reps=$reps goal=200000"
expect_status 0
log=$RUNS/l1/serial.log
check_records "$log"
hv_sane l1
expect_record "$log" 'case=vmexit\.cpuid params=- .*level=1 .* median=[0-9.]+ .* exits=1\.00$'
for c in invlpg:pte first_touch:pte guest_fault:pf_handler cr3_switch:mov_cr3; do
	expect_record "$log" "case=pt\.${c%%:*} params=- metric=round_trip unit=ticks clock=instructions platform=bochs level=1 hv=ept:4k,.* median=[0-9.]+ .* exits=0\.00 via=${c#*:}\$"
done
timed=$(grep -a -c -E '^@nb v=1 case=(pt|vmexit)\..* median=' "$log")
vmcalls=$(sed -n 's/^@nb v=1 case=hv\.exits reason=vmcall .* count=\([0-9]*\) .*/\1/p' "$log")
want=$((timed * reps * 3 + 1))
[ "$vmcalls" = $want ] ||
	fail "hypervisor counted ${vmcalls:-no} VMCALLs, want $want (3 HC_EXITS per repetition of $timed cases, and the guest's first, which asks whether the call is there)"
echo "HC_EXITS: cpuid 1 exit per operation, the pt.* events 0, $vmcalls reads"
# The ptevents figure from this log as job bochs-l1-ept_4k: drawn, with the
# shadow-paging job this run lacks named in a note instead of a missing bar.
run=$RUNS/run
mkdir -p "$run/raw/bochs-l1-ept_4k" && cp "$log" "$run/raw/bochs-l1-ept_4k/serial.log"
build/host/collect csv -o "$run/results.csv" "$run/raw/bochs-l1-ept_4k/serial.log" ||
	fail "collect csv failed"
scripts/plot --only ptevents "$run" || fail "scripts/plot --only ptevents failed"
pdftotext "$run/figures/ptevents-instructions.pdf" - | tr '\n' ' ' > "$RUNS/figure.txt" ||
	fail "no ptevents figure"
for w in bochs-l1-ept_4k 'no data in this run: bochs-l1-paging_shadow' 'no exits' 'event and the read after it'; do
	grep -q -F -- "$w" "$RUNS/figure.txt" || fail "the ptevents figure lacks '$w'"
done
echo ok
