#!/usr/bin/env bash
# The counter path reports "unsupported" here, with the real reason, and never fails
# a run: bare Bochs advertises a PMU whose MSRs fault; our hypervisor hides it
# (pmu=off) or passes the faulting one through (pmu=on); the native runner has no
# PMU on this machine (perf_event_open fails).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# The host encoder: no PMU here (77, with a message); --pmu encodes Skylake's set.
status=0; build/host/pfmenc > "$RUNS/pfmenc.out" 2>&1 || status=$?
[ $status = 77 ] || grep -q '^events=0x' "$RUNS/pfmenc.out" || fail "pfmenc without --pmu: status $status"
EV=$(build/host/pfmenc --pmu skl DTLB_LOAD_MISSES:WALK_COMPLETED) || fail "pfmenc --pmu skl failed"
[ "$EV" = "events=0x530e08@skl::DTLB_LOAD_MISSES:WALK_COMPLETED" ] || fail "pfmenc printed '$EV'"
ARGS="bench=vmexit.cpuid reps=3 goal=100000 $EV"
boot_run bare bochs --timeout 120 $BENCH "$ARGS"
expect_status 0
check_records "$RUNS/bare/serial.log"
expect_record "$RUNS/bare/serial.log" 'case=vmexit\.cpuid .* median=.* counters=unsupported counters_reason=IA32_PERFEVTSEL0_write_raised_vector_13'
boot_run hv-off bochs --timeout 120 $HV "pmu=off" $BENCH "$ARGS"
expect_status 0
expect_record "$RUNS/hv-off/serial.log" 'case=vmexit\.cpuid .*level=1 .*counters=unsupported counters_reason=CPUID.0AH_reports_no_architectural_PMU'
boot_run hv-on bochs --timeout 120 $HV "pmu=on" $BENCH "$ARGS"
expect_status 0
expect_record "$RUNS/hv-on/serial.log" 'case=vmexit\.cpuid .*level=1 .*counters=unsupported counters_reason=IA32_PERFEVTSEL0_write_raised_vector_13'
boot_run bad qemu --timeout 60 $BENCH "events=nonsense"
expect_status 4
out=$RUNS/native.out
$NATIVE --bench=vmexit.cpuid --goal=100000 --reps=3 --events=cycles > "$out" 2>&1 || fail "native runner failed"
check_records "$out"
# Here: unsupported. On a machine with a PMU the same run must count instead.
expect_record "$out" 'case=vmexit\.cpuid .*(counters=unsupported counters_reason=cycles:_perf_event_open:|pmc0=-?[0-9]+\.[0-9][0-9] pmc0_event=cycles)'
echo ok
