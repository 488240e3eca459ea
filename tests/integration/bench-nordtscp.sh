#!/usr/bin/env bash
# The bench guest times with what the CPU offers: on QEMU TCG's qemu64 model, which
# has no RDTSCP (CPUID.80000001H:EDX[27] clear), it runs to the end and its records
# say loops end with LFENCE;RDTSC, while on -cpu max (which has RDTSCP) they say
# rdtscp: so the choice follows CPUID, on the CPU the guest itself sees. Without
# SSE2 (no LFENCE) nothing can be timed, and the timed cases say so instead of
# faulting. An RDTSCP or LFENCE the CPU lacks is #UD: exit status 3.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v qemu-system-x86_64 > /dev/null || skip "no qemu-system-x86_64 (scripts/deps.sh installs it)"
ARGS="bench=vmexit.cpuid reps=3 goal=200000"
for model in qemu64 max qemu64,-sse2; do
	boot_run "$model" qemu --model $model --timeout 30 $BENCH "$ARGS"
	expect_status 0
	check_records "$RUNS/$model/serial.log"
done
cpuid='case=vmexit\.cpuid params=- metric=round_trip'
platform='insn_ticks=[0-9]+\.[0-9][0-9] emulated=yes'
expect_record "$RUNS/qemu64/serial.log" "$cpuid unit=ticks .* tsc_end=lfence_rdtsc $platform iterations=.* median="
expect_record "$RUNS/max/serial.log" "$cpuid unit=ticks .* tsc_end=rdtscp $platform iterations=.* median="
expect_record "$RUNS/qemu64,-sse2/serial.log" "$cpuid .* tsc_end=none insn_ticks=- emulated=yes status=unsupported reason=the_CPU_has_no_LFENCE"
echo ok
