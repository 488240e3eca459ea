#!/usr/bin/env bash
# scripts/bench at level 2: the bench guest under two hypervisors on Bochs, L0 with
# VMCS shadowing on and off (jobs bochs-l2-shadow_on and bochs-l2-shadow_off), one
# case, briefly. Its records say level=2, each job's L0 got its shadow= setting, and
# the matrix has level 3 only with --full or --level 3, whose estimate
# NB_BENCH_ESTIMATE=bochs-l3=S sets.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
B="scripts/bench --no-figures" C=build/host/collect run=$RUNS/run # (figures: plot-nested.sh)
command -v bochs > /dev/null || skip "Bochs is not installed (scripts/deps.sh)"

# The default matrix has both level-2 jobs and no level 3; --full and --level 3 add it.
$B --list --platform bochs > "$RUNS/list" 2>&1 || fail "scripts/bench --list: status $? ($(tail -n 1 "$RUNS/list"))"
for j in bochs-l2-shadow_on bochs-l2-shadow_off; do
	grep -q "^$j  *bochs  *2 " "$RUNS/list" || fail "the default matrix has no job $j: $(cat "$RUNS/list")"
done
! grep -q '^bochs-l3 ' "$RUNS/list" || fail "level 3 is in the default matrix"
for opt in --full "--level 3"; do
	# shellcheck disable=SC2086 # two words for "--level 3"
	$B --list --platform bochs $opt > "$RUNS/list3" 2>&1 || fail "scripts/bench --list $opt: status $?"
	grep -q '^bochs-l3  *bochs  *3 ' "$RUNS/list3" || fail "scripts/bench --list $opt has no level-3 job: $(cat "$RUNS/list3")"
done

# A level's own estimate (and so its limit) replaces the platform's.
NB_BENCH_ESTIMATE=bochs=9,bochs-l3=7 $B --list --platform bochs --level 3 > "$RUNS/est" 2>&1 ||
	fail "NB_BENCH_ESTIMATE=bochs-l3=7: status $? ($(cat "$RUNS/est"))"
grep -q '^bochs-l3  *bochs  *3  *7  *28 ' "$RUNS/est" || fail "bochs-l3=7 is not the level-3 estimate: $(cat "$RUNS/est")"
rc=0; NB_BENCH_ESTIMATE=bochs-l9=7 $B --list > "$RUNS/est" 2>&1 || rc=$?
{ [ $rc = 2 ] && grep -q 'NB_BENCH_ESTIMATE takes' "$RUNS/est"; } || fail "a bad level in NB_BENCH_ESTIMATE: status $rc"

rc=0
$B --platform bochs --level 2 --case vmexit.cpuid --reps 3 --out "$run" > "$RUNS/bench.out" 2>&1 || rc=$?
cat "$RUNS/bench.out"
# Until hv.elf offers shadow=, scripts/bench skips the jobs and says why.
if [ $rc = 77 ] && grep -q 'bochs-l2-shadow_on: build/vmm/hv.elf has no shadow= option' "$RUNS/bench.out"; then
	skip "build/vmm/hv.elf has no shadow= option yet, so scripts/bench skips the level-2 jobs"
fi
[ $rc = 0 ] || fail "scripts/bench --level 2: status $rc"
[ "$(head -n 1 "$run/STATUS")" = complete ] || fail "STATUS: $(cat "$run/STATUS")"
[ "$(cut -f1,2 "$run/jobs.tsv" | sort | tr '\t\n' ': ')" = "bochs-l2-shadow_off:ok bochs-l2-shadow_on:ok " ] ||
	fail "jobs: $(cat "$run/jobs.tsv")"
for s in on off; do
	j=bochs-l2-shadow_$s
	lvl=$($C value "$run/results.csv" --value level --where case=vmexit.cpuid --where job=$j) ||
		fail "no CPUID round trip of job $j in the CSV"
	[ "$lvl" = 2 ] || fail "job $j: the CPUID record says level=$lvl, want 2"
	m=$($C value "$run/results.csv" --value median --where case=vmexit.cpuid --where job=$j)
	echo "$j: CPUID round trip $m emulated instructions"
	# L0, the kernel GRUB boots, got nested=on and the job's shadow= setting.
	grep -q -E "multiboot /boot/0\.elf .*'nested=on' .*'shadow=$s'" "$run/raw/$j/grub.cfg" ||
		fail "job $j: L0 was not started with nested=on shadow=$s: $(grep multiboot "$run/raw/$j/grub.cfg")"
done
[ "$($C distinct "$run/results.csv" --col level --where 'case=vmexit.*')" = 2 ] || fail "a vmexit record is not at level 2"
echo ok
