#!/usr/bin/env bash
# The collector: a real run's records go into the CSV unchanged (record -> CSV round
# trip), malformed lines are named by file and line and mark the result, and the
# queries figures and the paper use find exactly what they ask for.
. "$(dirname "$0")/lib.sh"
C=build/host/collect
log=$RUNS/native.log
taskset -c 0 build/host/bench --bench=vmexit.cpuid,tlb.chase --goal=1000000 --reps=3 > "$log" 2> "$RUNS/native.err" ||
	fail "native runner failed: $(tail -n 3 "$RUNS/native.err")"
$C csv -o "$RUNS/r.csv" "$log" 2> "$RUNS/csv.err" || fail "collect csv: status $? ($(cat "$RUNS/csv.err"))"
head -n 1 "$RUNS/r.csv" | grep -q '^case,params,metric,unit,clock,platform,level,median,' ||
	fail "CSV header lacks the required leading columns: $(head -n 1 "$RUNS/r.csv")"
nrec=$(grep -c '^@nb ' "$log"); nrow=$(($(wc -l < "$RUNS/r.csv") - 1))
[ "$nrec" = "$nrow" ] || fail "$nrec records in the log, $nrow rows in the CSV"

# Round trip: every record's median comes back out of the CSV through a query.
want=$(grep -o '^@nb v=1 case=vmexit.cpuid .* median=[-0-9.]*' "$log" | sed 's/.*median=//')
got=$($C value "$RUNS/r.csv" --value median --where case=vmexit.cpuid) || fail "value query failed"
[ -n "$want" ] && [ "$want" = "$got" ] || fail "cpuid median: log says '$want', CSV says '$got'"
while read -r line; do
	span=$(echo "$line" | sed -n 's/.* params=page=\([^,]*\),span=\([^,]*\),.* median=\([-0-9.]*\) .*/\1 \2 \3/p')
	[ -n "$span" ] || continue
	set -- $span
	got=$($C value "$RUNS/r.csv" --value median --where case=tlb.chase --where p.page=$1 --where p.span=$2) ||
		fail "no CSV row for tlb.chase page=$1 span=$2"
	[ "$got" = "$3" ] || fail "tlb.chase $1/$2: log $3, CSV $got"
done < <(grep '^@nb v=1 case=tlb.chase .* median=' "$log")
# A wide table has one row per span, in numeric order, '?' where a page size has none.
$C table "$RUNS/r.csv" --rows p.span:bytes --series p.page --value median --where case=tlb.chase > "$RUNS/t.dat" ||
	fail "table query failed"
sort -c -n -k1,1 <(tail -n +2 "$RUNS/t.dat") || fail "table rows are not in span order"
grep -q '^65536 [-0-9.]* ?' "$RUNS/t.dat" || fail "64K row: want a 4K median and '?' for 2M: $(sed -n 2p "$RUNS/t.dat")"

# Malformed lines: each reported as FILE:LINE, the good ones still collected, status 3.
bad=$RUNS/bad.log
{
	grep -m 1 '^@nb v=1 case=vmexit.cpuid' "$log"
	echo "@nb v=1 case=vmexit.cpuid params=- metric=round_trip platform=native level=1 hv=x cpu=y git=z unit=ticks clock=tsc iterations=8 repetitions=3 median=9 min=10 max=12 p90=11"
	echo "console chatter @nb v=1 case=x"
	echo "@nb v=2 case=future"
} > "$bad"
rc=0; $C csv -o "$RUNS/bad.csv" "$bad" 2> "$RUNS/bad.err" || rc=$?
cat "$RUNS/bad.err"
[ $rc = 3 ] || fail "collect csv on malformed records: status $rc, want 3"
grep -q "^$bad:2: malformed record: median=9 below min=10" "$RUNS/bad.err" || fail "line 2 not reported with its reason"
grep -q "^$bad:3: malformed record: a record that does not start its line" "$RUNS/bad.err" || fail "line 3 not reported"
grep -q "^$bad:4: malformed record: record version v=2" "$RUNS/bad.err" || fail "line 4 not reported"
[ "$(($(wc -l < "$RUNS/bad.csv") - 1))" = 1 ] || fail "the CSV should hold the one good record"
rc=0; $C check "$bad" > /dev/null 2>&1 || rc=$?
[ $rc = 3 ] || fail "collect check: status $rc, want 3"
rc=0; $C value "$RUNS/r.csv" --value median --where case=nonesuch 2> "$RUNS/none.err" || rc=$?
[ $rc = 1 ] && grep -q '0 records match' "$RUNS/none.err" || fail "a query that matches nothing must say so (status $rc)"
echo ok
