#!/usr/bin/env bash
# The native runner: every case reports, well formed; CPUID is timed, the ring-0 and
# hypervisor-only cases say unsupported, the TLB sweep produces its records.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
out=$RUNS/native.out
$NATIVE --goal=1000000 --reps=3 > "$out" 2>&1 || fail "native runner failed: $(tail -n 3 "$out")"
cat "$out"
check_records "$out"
expect_record "$out" 'case=vmexit\.cpuid params=- metric=round_trip unit=ticks clock=tsc platform=native '
for c in vmcall pio msr mmio cr8 ud; do
	expect_record "$out" "case=vmexit\.$c .*status=unsupported reason="
done
expect_record "$out" 'case=tlb\.chase params=page=4K,span=64K,lines=16 metric=miss_penalty .*median='
expect_record "$out" 'case=tlb\.chase params=page=4K,span=16M,lines=4096 .*median='
expect_record "$out" 'case=tlb\.chase params=page=4K,span=64M,lines=16384 .*status=unsupported reason=more_lines_than_stay_cache-resident'
expect_record "$out" 'case=walk\.depth params=page=4K .*status=unsupported'
# On the TSC, the core clock is calibrated: a plausible ratio (a core between a tenth
# and ten times the TSC's rate), and the CPUID round trip in core cycles beside it.
ratio=$(sed -n 's/.*case=vmexit\.cpuid .* core_per_tick=\([0-9.]*\).*/\1/p' "$out")
[ -n "$ratio" ] || fail "no core_per_tick on the CPUID record"
awk -v r="$ratio" 'BEGIN { exit !(r > 0.1 && r < 10) }' || fail "implausible core_per_tick=$ratio"
expect_record "$out" 'case=vmexit\.cpuid .* core_median=[0-9]+\.[0-9][0-9] core_min='
# An unknown case is an error, not an empty run.
if $NATIVE --bench=no.such.case > "$RUNS/unknown.out" 2>&1; then fail "unknown case accepted"; fi
grep -q "'no.such.case' matches no case; the cases are: " "$RUNS/unknown.out" || fail "no clear error for an unknown case"
echo ok
