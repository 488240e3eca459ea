#!/usr/bin/env bash
# The results store loses nothing: --out refuses a folder with files in it (an empty
# one is fine); a repeated platform or configuration is one job; a signal before the
# first job marks the run incomplete and exits 130; jobs.tsv is replaced whole, never
# appended to; scripts/boot --out never truncates an earlier run's logs.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
B="scripts/bench --no-figures" # (figures: bench-matrix.sh)
slice=(--case vmexit.cpuid --reps 1)

# --out: a folder holding anything is refused and left as it was; an empty one is used.
mkdir -p "$RUNS/full" "$RUNS/empty"
echo "someone's notes" > "$RUNS/full/notes"
rc=0; $B --platform native "${slice[@]}" --out "$RUNS/full" > "$RUNS/full.out" 2>&1 || rc=$?
{ [ $rc = 2 ] && grep -q 'is not empty; results are never overwritten' "$RUNS/full.out"; } ||
	fail "--out of a non-empty folder: status $rc: $(tail -n 2 "$RUNS/full.out")"
{ [ "$(ls -A "$RUNS/full")" = notes ] && [ "$(cat "$RUNS/full/notes")" = "someone's notes" ]; } ||
	fail "the refused folder changed: $(ls -A "$RUNS/full")"

# A repeated platform (and, in the list, a configuration spelt twice) is one job.
rc=0; $B --platform native --platform native "${slice[@]}" --out "$RUNS/empty" > "$RUNS/empty.out" 2>&1 || rc=$?
cat "$RUNS/empty.out"
[ $rc = 0 ] || fail "a run into an empty folder with a repeated platform: status $rc"
[ "$(cut -f1 "$RUNS/empty/jobs.tsv")" = native ] || fail "jobs: $(cat "$RUNS/empty/jobs.tsv")"
[ "$(head -n 1 "$RUNS/empty/STATUS")" = complete ] || fail "STATUS: $(cat "$RUNS/empty/STATUS")"
{ [ ! -e "$RUNS/empty/figures" ] && grep -q 'no figures drawn (--no-figures)' "$RUNS/empty.out"; } ||
	fail "--no-figures: figures drawn, or not said: $(ls "$RUNS/empty")"
$B --platform bochs --level 1 --config ept=4k --config " ept=4k " --config "ept=2m  vpid=off" \
	--config "ept=2m vpid=off" --list > "$RUNS/list.out" 2>&1 || fail "--list: $(cat "$RUNS/list.out")"
[ "$(grep -c '^bochs-l1-' "$RUNS/list.out")" = 2 ] || fail "repeated configurations: $(cat "$RUNS/list.out")"
rc=0; $B --platform bochs --level 1 --config ept=4k-x --config "ept=4k x" --list > "$RUNS/clash.out" 2>&1 || rc=$?
{ [ $rc = 2 ] && grep -q "two jobs would be named 'bochs-l1-ept_4k-x'" "$RUNS/clash.out"; } ||
	fail "two configurations of one job name: status $rc: $(cat "$RUNS/clash.out")"

# A signal as soon as the folder exists, before any job has run.
$B --platform native "${slice[@]}" --out "$RUNS/sig" > "$RUNS/sig.out" 2>&1 &
pid=$!
for _ in $(seq 2000); do [ -e "$RUNS/sig/STATUS" ] && break; sleep 0.005; done
kill -TERM $pid
rc=0; wait $pid || rc=$?
cat "$RUNS/sig.out"
[ -e "$RUNS/sig/STATUS" ] || fail "the run never made its folder"
[ $rc = 130 ] || fail "a signal before the first job: status $rc, want 130"
[ "$(head -n 1 "$RUNS/sig/STATUS")" = incomplete ] || fail "STATUS after an early signal: $(cat "$RUNS/sig/STATUS")"
! ls "$RUNS/sig"/*.tmp.* 2>/dev/null || fail "temporary files left behind"

# jobs.tsv is replaced (a new file renamed over it), not appended to: its inode
# changes when a job finishes. The Bochs job is long enough to look at it before.
t=$RUNS/tsv
$B --platform native --platform bochs --level 0 "${slice[@]}" --out "$t" > "$RUNS/tsv.out" 2>&1 &
pid=$!
for _ in $(seq 600); do [ -s "$t/jobs.tsv" ] && pgrep -f "$t/raw/.*/bochsrc" > /dev/null && break; sleep 0.05; done
inode=$(stat -c %i "$t/jobs.tsv" 2>/dev/null)
first=$(cat "$t/jobs.tsv" 2>/dev/null)
rc=0; wait $pid || rc=$?
cat "$RUNS/tsv.out"
[ $rc = 0 ] || fail "the native and Bochs run: status $rc"
[ "$(cut -f1 <<< "$first")" = native ] || fail "jobs.tsv while the Bochs job ran: '$first'"
[ "$(cut -f1,2 "$t/jobs.tsv" | tr '\t\n' ': ')" = "native:ok bochs-l0:ok " ] || fail "jobs.tsv: $(cat "$t/jobs.tsv")"
[ "$(stat -c %i "$t/jobs.tsv")" != "$inode" ] || fail "jobs.tsv was written in place (inode $inode kept)"

# scripts/boot --out: a second run into the folder of a first is refused, and the
# first run's console log is left byte for byte.
boot=(scripts/boot --quiet --platform qemu --timeout 30 --out "$RUNS/boot")
"${boot[@]}" $SMOKE "echo=first" > "$RUNS/boot1.out" 2>&1 || fail "the first boot: $(tail -n 3 "$RUNS/boot1.out")"
sum=$(md5sum < "$RUNS/boot/serial.log")
rc=0; "${boot[@]}" $SMOKE "echo=second" > "$RUNS/boot2.out" 2>&1 || rc=$?
{ [ $rc = 125 ] && grep -q "already holds a run" "$RUNS/boot2.out"; } || fail "a second boot into one --out: status $rc: $(tail -n 2 "$RUNS/boot2.out")"
[ "$(md5sum < "$RUNS/boot/serial.log")" = "$sum" ] || fail "the first run's serial.log changed"
echo ok
