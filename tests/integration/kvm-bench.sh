#!/usr/bin/env bash
# The bench guest on /dev/kvm: through nestbench's launcher (scripts/boot --platform
# kvm) its records are well formed and say platform=kvm; scripts/bench runs it
# through the launcher and through QEMU side by side in one run. Skipped where
# /dev/kvm does not work.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run bench kvm --timeout 120 $BENCH "bench=vmexit.cpuid reps=3"
if [ "$status" = 77 ] && ! grep -a -q '^@exit status=' "$RUNS/bench/serial.log" 2>/dev/null; then
	skip "$(grep -a -m 1 -o 'kvmrun: .*' "$RUNS/bench.out" || echo "platform kvm is not available here")"
fi
expect_status 0
log=$RUNS/bench/serial.log
check_records "$log"
expect_record "$log" 'case=vmexit\.cpuid params=- metric=round_trip unit=ticks clock=tsc platform=kvm level=0 .* repetitions=3 median='

# The matrix: both level-0 jobs ok, each with its CPUID record, from this build.
d=$RUNS/matrix
rc=0; scripts/bench --platform kvm --platform qemu-kvm --level 0 --case vmexit.cpuid --reps 3 \
	--out "$d" > "$RUNS/matrix.out" 2>&1 || rc=$?
cat "$RUNS/matrix.out"
[ $rc = 0 ] || fail "scripts/bench on kvm and qemu-kvm: status $rc"
[ "$(cut -f1,2 "$d/jobs.tsv" | tr '\t\n' ': ')" = "kvm-l0:ok qemu-kvm-l0:ok " ] || fail "jobs: $(cat "$d/jobs.tsv")"
for j in kvm-l0 qemu-kvm-l0; do
	build/host/collect value "$d/results.csv" --value median --where case=vmexit.cpuid --where job=$j > /dev/null ||
		fail "no CPUID round trip from $j"
done
echo ok
