#!/usr/bin/env bash
# The collector: a real run's records go into the CSV unchanged (record -> CSV round
# trip), malformed lines are named by file and line and mark the result, the queries
# figures and the paper use find exactly what they ask for, and nothing it is given
# makes things worse: an unreadable log leaves the CSV alone, a NUL or a collector
# key in a record is malformed, bad options and long values are errors, and memory
# does not grow with the number of records.
# shellcheck source=lib.sh
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
{ [ -n "$want" ] && [ "$want" = "$got" ]; } || fail "cpuid median: log says '$want', CSV says '$got'"
checked=0
while read -r line; do
	fields=$(echo "$line" | sed -n 's/.* params=page=\([^,]*\),span=\([^,]*\),.* median=\([-0-9.]*\) .*/\1 \2 \3/p')
	[ -n "$fields" ] || fail "a tlb.chase timing this check cannot read: $line"
	read -r page span median <<< "$fields"
	got=$($C value "$RUNS/r.csv" --value median --where case=tlb.chase --where "p.page=$page" --where "p.span=$span") ||
		fail "no CSV row for tlb.chase page=$page span=$span"
	[ "$got" = "$median" ] || fail "tlb.chase $page/$span: log $median, CSV $got"
	checked=$((checked + 1))
done < <(grep '^@nb v=1 case=tlb.chase .* median=' "$log")
# A loop over nothing checks nothing: the run must have had tlb.chase timings.
[ "$checked" -gt 0 ] || fail "no tlb.chase timing in $log to compare with the CSV"
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
{ [ $rc = 1 ] && grep -q '0 records match' "$RUNS/none.err"; } || fail "a query that matches nothing must say so (status $rc)"

# ---- the collector never makes things worse -------------------------------------
# A missing log, a directory, or either beside a good log: status 2, the CSV untouched.
cp "$RUNS/r.csv" "$RUNS/keep.csv"
unreadable() { # unreadable LOG...: collect csv of these refuses them and keeps the CSV
	local rc=0
	$C csv -o "$RUNS/r.csv" "$@" 2> "$RUNS/unread.err" || rc=$?
	[ $rc = 2 ] || fail "collect csv $*: status $rc, want 2"
	cmp -s "$RUNS/r.csv" "$RUNS/keep.csv" || fail "collect csv $* replaced a good CSV"
	grep -q "cannot read" "$RUNS/unread.err" || fail "collect csv $*: no reason given ($(cat "$RUNS/unread.err"))"
}
unreadable "$RUNS/missing.log"
unreadable "$RUNS"
unreadable "$log" "$RUNS/missing.log"
unreadable "$RUNS" "$log"
ls "$RUNS"/r.csv.tmp.* > /dev/null 2>&1 && fail "a temporary CSV was left behind"

# A NUL byte inside a record, and keys the collector derives, make a record malformed.
one=$(grep -m 1 '^@nb v=1 case=vmexit.cpuid' "$log")
odd=$RUNS/odd.log
{ printf '%s\0 median=1\n' "$one"; echo "$one job=evil"; echo "$one log=evil"; echo "$one p.page=1G"; } > "$odd"
rc=0; $C csv -o "$RUNS/odd.csv" "$odd" 2> "$RUNS/odd.err" || rc=$?
cat "$RUNS/odd.err"
[ $rc = 3 ] || fail "collect csv on NUL and collector keys: status $rc, want 3"
grep -q "^$odd:1: malformed record: a NUL byte" "$RUNS/odd.err" || fail "the NUL byte is not reported as $odd:1"
grep -q "^$odd:2: malformed record: key 'job' is the collector's" "$RUNS/odd.err" || fail "job= is not reported as $odd:2"
grep -q "^$odd:3: malformed record: key 'log' is the collector's" "$RUNS/odd.err" || fail "log= is not reported as $odd:3"
grep -q "^$odd:4: malformed record: bad key 'p.page'" "$RUNS/odd.err" || fail "p.page= is not reported as $odd:4"
[ "$(wc -l < "$RUNS/odd.csv")" = 1 ] || fail "the CSV should hold no record"

# The keys that say how a platform keeps time become columns like any other.
# (the runner already writes them: replace its values with known ones)
echo "$one" | sed -E 's/ (emulated|insn_ticks|tsc_end)=[^ ]*//g; s/$/ emulated=yes insn_ticks=1.02 tsc_end=rdtscp/' > "$RUNS/emu.log"
$C csv -o "$RUNS/emu.csv" "$RUNS/emu.log" 2> /dev/null || fail "collect csv on emulated= records failed"
[ "$($C value "$RUNS/emu.csv" --value insn_ticks --where emulated=yes --where tsc_end=rdtscp)" = 1.02 ] ||
	fail "emulated, insn_ticks and tsc_end are not CSV columns"

# Options: too many values, a bad --digits, a column name longer than a buffer are
# errors. A job (folder) name longer than the old 128-byte buffer is kept whole.
rc=0; $C table "$RUNS/r.csv" --rows case --value median,min,max,p90,median,min,max,p90,level \
	--where case=vmexit.cpuid > /dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "collect table with 9 --value expressions: status $rc, want 2"
bad_value() { # bad_value OPTION...: collect value refuses these options
	local rc=0
	$C value "$RUNS/r.csv" "$@" --where case=vmexit.cpuid > /dev/null 2>&1 || rc=$?
	[ $rc = 2 ] || fail "collect value $*: status $rc, want 2"
}
bad_value --value median --value min
bad_value --value median --digits x
bad_value --value median --digits -1
bad_value --value median --digits 99
# A column name cut to a buffer's length must not find the column that long.
c127=$(printf 'c%.0s' $(seq 127)) c200=$(printf 'c%.0s' $(seq 200))
{ echo "case,$c127,median"; echo "x,y,5"; } > "$RUNS/longcol.csv"
rc=0; $C value "$RUNS/longcol.csv" --value median --where "$c200=y" > /dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "a 200-character column name was taken for a 127-character one (status $rc)"
[ "$($C value "$RUNS/r.csv" --value median --digits 3 --where case=vmexit.cpuid)" = \
  "$(awk -v m="$want" 'BEGIN { printf "%.3f", m }')" ] || fail "--digits 3 does not give 3 decimals"
# values: each line the answer "value" gives alone, at its digits and at 9; "!" where
# "value" fails (no record, many, no column, a bad line), the others still answered.
R=results/reference/results.csv
printf '%s\n' '0 median case=vmexit.cpuid job=bochs-l1-ept_2m' '1 median case=vmexit.*' \
	'2 l0_exits/l2_exits case=hv.nested reason=cpuid job=bochs-l2-shadow_off' '0 nosuch case=x' \
	'3' '1 refs_walked case=walk.depth job=bochs-l1-ept_4k p.page=2M' > "$RUNS/queries"
# The most conditions a query takes (16), and one more.
w15=$(printf ' case=vmexit.cpuid%.0s' $(seq 15))
printf '0 median job=bochs-l1-ept_2m%s\n' "$w15" "$w15 case=vmexit.cpuid" >> "$RUNS/queries"
rc=0; $C values $R < "$RUNS/queries" > "$RUNS/answers" 2> "$RUNS/answers.err" || rc=$?
[ $rc = 1 ] || fail "collect values with failing queries: status $rc, want 1"
[ "$(wc -l < "$RUNS/answers")" = 8 ] || fail "collect values: $(wc -l < "$RUNS/answers") answers to 8 queries"
{ [ "$(sed -n 7p "$RUNS/answers")" != '!' ] && [ "$(sed -n 8p "$RUNS/answers")" = '!' ]; } ||
	fail "values: 16 conditions not answered, or 17 not refused: $(sed -n '7,8p' "$RUNS/answers" | paste -sd ' ' -)"
i=0
while read -r digits expr where; do
	i=$((i + 1))
	args=()
	for w in $where; do args+=(--where "$w"); done
	if v=$($C value $R --value "${expr:-x}" --digits "$digits" "${args[@]}" 2> /dev/null) && [ -n "$v" ]; then
		v="$v $($C value $R --value "$expr" --digits 9 "${args[@]}")"
	else v='!'; fi
	[ "$(sed -n "${i}p" "$RUNS/answers")" = "$v" ] || fail "values line $i: '$(sed -n "${i}p" "$RUNS/answers")', value: '$v'"
done < "$RUNS/queries"
{ grep -q -v '^!$' "$RUNS/answers" && grep -q '^!$' "$RUNS/answers"; } || fail "values: no mix of answers and failures"
longjob=$(printf 'j%.0s' $(seq 200))
mkdir -p "$RUNS/$longjob"
cp "$RUNS/emu.log" "$RUNS/$longjob/console.log"
$C csv -o "$RUNS/long.csv" "$RUNS/$longjob/console.log" 2> /dev/null || fail "collect csv in a long folder failed"
[ "$($C distinct "$RUNS/long.csv" --col job)" = "$longjob" ] || fail "a 200-character job name was cut"
# Two series whose names differ only after 256 characters stay two series.
{ echo "case,job,median"; echo "a,${longjob}${longjob}x,1"; echo "a,${longjob}${longjob}y,2"; } > "$RUNS/series.csv"
$C table "$RUNS/series.csv" --rows case --series job --value median > "$RUNS/series.dat" ||
	fail "two long series names were taken for one"
[ "$(sed -n 2p "$RUNS/series.dat")" = "a 1 2" ] || fail "long series: $(cat "$RUNS/series.dat")"

# Memory grows with the distinct keys, not the records: 10^5 records collect in a
# 64 MiB address space (a row per record in memory took about 3.4 KiB each).
n=100000
awk -v n=$n -v r="$one" 'BEGIN { for (i = 0; i < n; i++) print r }' > "$RUNS/many.log"
rc=0; ( ulimit -v 65536; exec $C csv -o "$RUNS/many.csv" "$RUNS/many.log" ) 2> "$RUNS/many.err" || rc=$?
[ $rc = 0 ] || fail "$n records in 64 MiB: status $rc ($(tail -n 2 "$RUNS/many.err"))"
[ "$(wc -l < "$RUNS/many.csv")" = $((n + 1)) ] || fail "$n records did not give $n rows"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$RUNS/many.rss" $C csv -o "$RUNS/many.csv" "$RUNS/many.log" 2> /dev/null
	echo "$n records: max RSS $(cat "$RUNS/many.rss") KiB"
fi
rm -f "$RUNS/many.log" "$RUNS/many.csv"
echo ok
