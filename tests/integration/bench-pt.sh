#!/usr/bin/env bash
# The page-table-event cases (pt.*) bare on Bochs (level 0) and natively: each gives a
# timed record saying how its event was made (via=), the guest's by its own page
# tables and #PF handler, the process's by the system call that makes its kernel do
# the same; natively the CR3 switch is unsupported, with the reason. No hypervisor
# below: no exits= (bench-pt-hv.sh has them).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run bare bochs --timeout 120 $BENCH "bench=pt.* reps=3 goal=200000"
expect_status 0
log=$RUNS/bare/serial.log
check_records "$log"
for c in invlpg:pte first_touch:pte guest_fault:pf_handler cr3_switch:mov_cr3; do
	expect_record "$log" "case=pt\.${c%%:*} params=- metric=round_trip unit=ticks clock=instructions platform=bochs level=0 hv=none .* median=[0-9]+\.[0-9]+ .* via=${c#*:}\$"
done
# Each event costs instructions beyond its control loop's (Bochs counts them exactly).
for c in invlpg first_touch guest_fault cr3_switch; do
	expect_record "$log" "case=pt\.$c .* min=[1-9][0-9]*\.[0-9]+ "
done
if grep -a -q 'exits=' "$log"; then fail "exits= without a hypervisor below"; fi

out=$RUNS/native.out
$NATIVE --bench='pt.*' --goal=1000000 --reps=3 --best-of=1 --rounds=1 > "$out" 2>&1 ||
	fail "native runner failed: $(tail -n 3 "$out")"
cat "$out"
check_records "$out"
for c in invlpg:mprotect first_touch:mprotect guest_fault:sigsegv; do
	expect_record "$out" "case=pt\.${c%%:*} params=- metric=round_trip unit=ticks clock=tsc platform=native .* median=[0-9.]+ .* via=${c#*:}( |\$)"
done
expect_record "$out" 'case=pt\.cr3_switch params=- .*status=unsupported reason=a_process_cannot_load_CR3'
if grep -a -q 'exits=' "$out"; then fail "exits= in a native record"; fi
echo ok
