#!/usr/bin/env bash
# A hung job is killed after its time limit, LIMIT_FACTOR x its estimate (both set
# small here through the environment), its log tail is shown, and the next job runs.
# The hang is real: the Bochs job's emulator is stopped (SIGSTOP) as soon as it starts.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
d=$RUNS/run est=3 factor=2
limit=$((est * factor))
NB_BENCH_ESTIMATE=bochs=$est NB_BENCH_LIMIT_FACTOR=$factor timeout -s KILL 60 \
	scripts/bench --no-figures --platform bochs --platform native --level 0 --case vmexit.cpuid --reps 1 \
	--out "$d" > "$RUNS/run.out" 2>&1 &
pid=$!
stopped=0
for _ in $(seq 600); do
	pkill -STOP -f "$d/raw/bochs-l0/bochsrc" && { stopped=1; break; }
	sleep 0.05
done
rc=0; wait $pid || rc=$?
cat "$RUNS/run.out"
[ $stopped = 1 ] || fail "never saw the Bochs job's emulator"
[ $rc = 1 ] || fail "a run with a hung job: status $rc, want 1"
IFS=$'\t' read -r name st secs log note < <(grep '^bochs-l0' "$d/jobs.tsv")
[ "$st" = timeout ] || fail "the hung job's status is '$st': $(cat "$d/jobs.tsv")"
{ [ "$secs" -ge $limit ] && [ "$secs" -le $((limit + 3)) ]; } || fail "the hung job was killed after $secs s, want its limit of $limit s"
[ "$note" = "limit ${limit}s = $factor x the estimate ${est}s" ] || fail "jobs.tsv note: '$note'"
grep -q "^bench:   killed after its time limit: limit ${limit}s" "$RUNS/run.out" || fail "no word of the time limit"
grep -q "^bench:   ==> $d/raw/bochs-l0/serial.log <==" "$RUNS/run.out" || fail "the hung job's log tail was not shown"
[ "$(grep '^native' "$d/jobs.tsv" | cut -f2)" = ok ] || fail "the job after the hung one: $(cat "$d/jobs.tsv")"
[ "$(head -n 1 "$d/STATUS")" = failed ] || fail "STATUS: $(cat "$d/STATUS")"
sleep 0.5
! pgrep -fa "$d/raw" || fail "the hung job's processes are still there"
echo ok
