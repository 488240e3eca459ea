#!/usr/bin/env bash
# Records are data, never code. A record whose values would close a gnuplot string
# and call system(), substitute a shell command or a gnuplot backquote is rejected by
# the collector and named by LOG:LINE; and scripts/plot, given a results.csv that
# holds such values anyway (written by hand, or by an older collector), draws its
# figures with them as plain text. Either way nothing runs: the files the payloads
# would create never appear.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
C=build/host/collect
command -v gnuplot > /dev/null || skip "gnuplot is not installed (scripts/deps.sh)"
ref=results/reference
# Relative paths without spaces: record values have none, and scripts/plot, like the
# gnuplot it starts, runs at the top of the tree.
evil1="x';system('touch\${IFS}$RUNS/PWNED1');'"
evil2="x\$(touch\${IFS}$RUNS/PWNED2)"
evil3="x\`touch\${IFS}$RUNS/PWNED3\`"
pwned() { ls "$RUNS"/PWNED* 2> /dev/null; }

# 1. The collector: the hostile record is malformed, at its line; the good ones stay.
run=$RUNS/collected
mkdir -p "$run/raw/bochs-l0" "$run/raw/evil"
cp "$ref/raw/bochs-l0/serial.log" "$run/raw/bochs-l0/serial.log"
one=$RUNS/one.log  # a good record
grep -m 1 '^@nb v=1 case=vmexit.cpuid ' "$ref/raw/bochs-l0/serial.log" > "$one"
hostile=$run/raw/evil/serial.log
{
	echo "console chatter"
	sed 's/ case=vmexit.cpuid / case=vmexit.msr /' "$one"
	sed "s| platform=bochs | platform=$evil1 |" "$one"
	sed "s| cpu=[^ ]* | cpu=$evil2 |" "$one"
	sed "s| git=[^ ]* | git=$evil3 |" "$one"
} > "$hostile"
rc=0; $C csv -o "$run/results.csv" "$run/raw/bochs-l0/serial.log" "$hostile" 2> "$run/collect.log" || rc=$?
cat "$run/collect.log"
[ $rc = 3 ] || fail "collect csv on hostile records: status $rc, want 3 (malformed)"
grep -q "^$hostile:3: malformed record: key 'platform': character ''' is outside the value set" "$run/collect.log" ||
	fail "the quote payload is not rejected as $hostile:3"
grep -q "^$hostile:4: malformed record: key 'cpu': character '\\$'" "$run/collect.log" ||
	fail "the \$(...) payload is not rejected as $hostile:4"
grep -q "^$hostile:5: malformed record: key 'git': character '\`'" "$run/collect.log" ||
	fail "the backquote payload is not rejected as $hostile:5"
grep -q 'PWNED' "$run/results.csv" && fail "a hostile value reached the CSV"
$C value "$run/results.csv" --value median --where case=vmexit.msr --where job=evil > /dev/null ||
	fail "the good record beside the hostile ones is missing"
scripts/plot --pdf-only "$run" > "$RUNS/plot1.out" 2>&1 || fail "scripts/plot on the collected run: $(tail -n 3 "$RUNS/plot1.out")"
[ -z "$(pwned)" ] || fail "a payload ran: $(pwned)"

# 2. scripts/plot on a CSV that holds the values anyway: one more job whose platform,
# cpu and job name are the payloads. It draws, shows them as text, and runs nothing.
run=$RUNS/handmade
mkdir -p "$run"
awk -F, -v OFS=, -v e1="$evil1" -v e2="$evil2" -v e3="$evil3" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
	{ print }
	!done && $col["case"] == "vmexit.cpuid" && $col["clock"] == "instructions" {
		$col["platform"] = e1; $col["cpu"] = e2; $col["job"] = e3; print; done = 1 }
' "$RUNS/collected/results.csv" > "$run/results.csv"
grep -qF "system('touch" "$run/results.csv" || fail "could not build the hand-made CSV"
rc=0; scripts/plot --pdf-only "$run" > "$RUNS/plot2.out" 2>&1 || rc=$?
cat "$RUNS/plot2.out"
[ -z "$(pwned)" ] || fail "a payload ran: $(pwned)"
[ $rc = 0 ] || fail "scripts/plot on the hand-made CSV: status $rc"
[ -s "$run/figures/vmexit-instructions.pdf" ] || fail "the vmexit figure was not drawn"
pdftotext "$run/figures/vmexit-instructions.pdf" - | tr -d '\n' | grep -qF "system('touch" ||
	fail "the footnote does not show the platform value as text"
echo ok
