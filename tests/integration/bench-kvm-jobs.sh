#!/usr/bin/env bash
# The default matrix on whatever this machine has: where nestbench's launcher cannot
# use /dev/kvm, the kvm and qemu-kvm jobs are skipped, recorded in jobs.tsv with the
# launcher's reason and named in the summary, and the run is still complete; where it
# can, both level-0 jobs run side by side and leave their CPUID round trips in the CSV.
# Meaningful on both kinds of machine, so it never skips.
. "$(dirname "$0")/lib.sh"

d=$RUNS/run
rc=0; scripts/bench --no-figures --level 0 --case vmexit.cpuid --reps 1 --out "$d" > "$RUNS/bench.out" 2>&1 || rc=$?
cat "$RUNS/bench.out"
[ $rc = 0 ] || fail "scripts/bench: status $rc, want 0"
[ "$(head -n 1 "$d/STATUS")" = complete ] || fail "STATUS: $(cat "$d/STATUS")"

# Whether the launcher works here, asked the way a user would.
probe=$RUNS/probe.out
kvm_rc=0; build/host/kvmrun --timeout 20 "$SMOKE" "" > "$probe" 2>&1 || kvm_rc=$?
for j in kvm-l0 qemu-kvm-l0; do
	line=$(awk -F '\t' -v j="$j" '$1 == j' "$d/jobs.tsv")
	[ -n "$line" ] || fail "$j is not in jobs.tsv"
	st=$(cut -f2 <<< "$line")
	if [ $kvm_rc = 77 ]; then
		[ "$st" = skipped ] || fail "$j: status '$st' without a usable /dev/kvm, want skipped"
		why=$(cut -f5 <<< "$line")
		grep -q -F -- "${why#skipped: }" "$probe" ||
			fail "$j: the recorded reason '$why' is not the launcher's ($(cat "$probe"))"
		grep -q "$j.*skipped" "$RUNS/bench.out" || fail "the summary does not name $j as skipped"
	else
		[ "$st" = ok ] || fail "$j: status '$st' with a working /dev/kvm, want ok"
		build/host/collect value "$d/results.csv" --value median \
			--where case=vmexit.cpuid --where job="$j" > /dev/null || fail "no CPUID round trip from $j"
	fi
done
echo ok
