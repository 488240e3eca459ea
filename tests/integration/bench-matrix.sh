#!/usr/bin/env bash
# scripts/bench end to end on a small slice: a complete run has its CSV, context,
# jobs and figures; an interrupted run is marked incomplete, keeps what finished,
# and leaves an earlier run untouched; bad requests get clear errors.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
B=scripts/bench
a=$RUNS/a b=$RUNS/b

# A complete run: the native runner, and the bench guest at level 1 on Bochs in two
# configurations that share platform, level and EPT page size (only the job tells
# them apart: figures and tables must not mix them up).
$B --platform native --platform bochs --level 0 --level 1 --config ept=4k --config "ept=4k vpid=off" \
	--case 'vmexit.cpuid,walk.depth' \
	--reps 3 --out "$a" > "$RUNS/a.out" 2>&1
rc=$?
cat "$RUNS/a.out"
[ $rc = 0 ] || fail "scripts/bench failed: status $rc"
[ "$(head -n 1 "$a/STATUS")" = complete ] || fail "STATUS: $(cat "$a/STATUS")"
C=build/host/collect
# Provenance: the context's revision is the one every record carries, in one form.
git=$(sed -n 's/^git: //p' "$a/context")
[[ "$git" =~ ^[0-9a-f]{12}(-dirty)?$ ]] || fail "context's git revision: '$git'"
[ "$($C distinct "$a/results.csv" --col git)" = "$git" ] ||
	fail "records' git= $($C distinct "$a/results.csv" --col git | tr '\n' ' ')differ from the context's $git"
grep -q '^packages: bochs ' "$a/context" || fail "context lacks package versions"
grep -q '^command: scripts/bench --platform native' "$a/context" || fail "context lacks the command line"
[ "$(cut -f2 "$a/jobs.tsv" | sort | uniq -c | awk '{print $1, $2}')" = "4 ok" ] || fail "jobs: $(cat "$a/jobs.tsv")"
# The Bochs level-1 CPUID round trip: the CSV holds what the console record says,
# and the summary table shows that number.
cpuid=$($C value "$a/results.csv" --value median --where case=vmexit.cpuid --where job=bochs-l1-ept_4k-vpid_off) ||
	fail "no Bochs level-1 CPUID round trip in the CSV"
logged=$(sed -n 's/^@nb v=1 case=vmexit\.cpuid .* median=\([0-9.]*\) .*/\1/p' "$a/raw/bochs-l1-ept_4k-vpid_off/serial.log")
{ [ -n "$cpuid" ] && [ "$cpuid" = "$logged" ]; } || fail "CSV median '$cpuid', console record median '$logged'"
$C value "$a/results.csv" --value median --where case=vmexit.cpuid --where platform=native > /dev/null ||
	fail "no native CPUID record in the CSV"
for f in vmexit-tsc vmexit-instructions walk-instructions hvstats-instructions; do
	{ [ -s "$a/figures/$f.pdf" ] && [ -s "$a/figures/$f.png" ]; } || fail "figure $f missing"
done
grep -q "^vmexit\.cpuid .* ${cpuid//./\\.}\( \|$\)" "$RUNS/a.out" || fail "the summary table lacks the Bochs CPUID figure $cpuid"
sum_a=$(cd "$a" && find . -type f | sort | xargs md5sum | md5sum)

# Interrupted after its first job: marked incomplete, the first job's records kept.
$B --platform bochs --level 1 --config ept=4k --config ept=2m --config ept=1g --case vmexit.cpuid \
	--reps 3 --out "$b" > "$RUNS/b.out" 2>&1 &
pid=$!
for _ in $(seq 600); do [ -s "$b/jobs.tsv" ] && break; sleep 0.1; done
[ -s "$b/jobs.tsv" ] || { kill -KILL $pid; fail "the first job never finished"; }
# Interrupt while the second job's emulator runs: it must die with the run.
for _ in $(seq 100); do pgrep -f "$b/raw/.*/bochsrc" > /dev/null && break; sleep 0.1; done
# SIGTERM: a background job of a script ignores SIGINT (Ctrl-C reaches a foreground run).
kill -TERM $pid
rc=0; wait $pid || rc=$?
cat "$RUNS/b.out"
[ $rc = 130 ] || fail "interrupted scripts/bench: status $rc, want 130"
[ "$(head -n 1 "$b/STATUS")" = incomplete ] || fail "STATUS after an interrupt: $(cat "$b/STATUS")"
[ "$(wc -l < "$b/jobs.tsv")" -lt 3 ] || fail "all jobs finished; the interrupt came too late to test anything"
grep -q '^vmexit.cpuid,' "$b/results.csv" || fail "the finished job's records are not in results.csv"
! ls "$b"/*.tmp.* 2>/dev/null || fail "temporary files left behind"
sleep 0.5
! pgrep -fa "$b/raw" || fail "an emulator of the interrupted run is still running"
[ "$(cd "$a" && find . -type f | sort | xargs md5sum | md5sum)" = "$sum_a" ] || fail "the earlier run changed"

# Bad requests.
rc=0; $B --out "$a" --platform native > "$RUNS/c.out" 2>&1 || rc=$?
{ [ $rc = 2 ] && grep -q 'never overwritten' "$RUNS/c.out"; } || fail "reusing a run folder: status $rc"
rc=0; $B --level 7 > "$RUNS/c.out" 2>&1 || rc=$?
{ [ $rc = 2 ] && grep -q "unknown level '7'" "$RUNS/c.out"; } || fail "a bad level: status $rc"
rc=0; $B --platform vax > "$RUNS/c.out" 2>&1 || rc=$?
{ [ $rc = 2 ] && grep -q "unknown platform 'vax'" "$RUNS/c.out"; } || fail "a bad platform: status $rc"
if [ ! -c /dev/kvm ]; then
	rc=0; $B --platform kvm --list > "$RUNS/c.out" 2>&1 || rc=$?
	{ [ $rc = 77 ] && grep -q 'platform kvm is not available here' "$RUNS/c.out"; } || fail "kvm without /dev/kvm: status $rc"
fi
echo ok
