#!/usr/bin/env bash
# The figures of levels 2 and 3, on synthetic runs (paper-nested.bash): levels (exit
# round trips at every level under Bochs) and nested (L0's exits per L2 exit with
# and without VMCS shadowing) are drawn, each naming in a note what the run lacks
# rather than drawing it as zero; hvstats keeps to L0 serving L1 although nested
# jobs have hv.exits records of several levels for one reason; vmexit keeps to
# levels 0 and 1.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=paper.bash
. "$(dirname "$0")/paper.bash"
# shellcheck source=paper-nested.bash
. "$(dirname "$0")/paper-nested.bash"
command -v gnuplot > /dev/null || skip "gnuplot is not installed (scripts/deps.sh)"
command -v pdftotext > /dev/null || skip "pdftotext is not installed (scripts/deps.sh)"
all=$RUNS/all part=$RUNS/part
# all: levels 0 to 3, both shadowing settings. part: no level 3, and L0's counts
# only without shadowing.
nested_run "$all" l3
nested_run "$part"
sed -i '/case=hv\.nested .*shadow:on/d' "$part/raw/bochs-l2-shadow_on/serial.log"
build/host/collect csv -o "$part/results.csv" "$part"/raw/*/*.log 2> /dev/null || fail "collect csv (part): status $?"
for r in "$all" "$part"; do
	scripts/plot --pdf-only --only levels,nested,hvstats,vmexit "$r" > "$r.out" 2>&1 || { cat "$r.out"; fail "scripts/plot $r: status $?"; }
	for f in levels nested hvstats vmexit; do
		[ -s "$r/figures/$f-instructions.pdf" ] || { cat "$r.out"; fail "$r: figure $f not drawn"; }
		pdf_text "$r/figures/$f-instructions.pdf" > "$r/$f.txt"
	done
done
rc=0; scripts/plot --only levels,nonesuch "$all" > "$RUNS/bad.out" 2>&1 || rc=$?
{ [ $rc = 2 ] && grep -q "no figure 'nonesuch' (there are: .*levels" "$RUNS/bad.out"; } ||
	fail "scripts/plot --only with an unknown figure: status $rc: $(cat "$RUNS/bad.out")"
has() { grep -q -F -- "$2" "$1" || fail "$1: no '$2' in: $(cat "$1")"; }
hasnot() { ! grep -q -F -- "$2" "$1" || fail "$1: says '$2': $(cat "$1")"; }
# levels: every level's jobs, one clock, Bochs only; a missing level is named.
for j in bochs-l0 bochs-l1-ept_2m bochs-l2-shadow_on bochs-l2-shadow_off bochs-l3; do has "$all/levels.txt" "$j"; done
has "$all/levels.txt" 'clock: emulated instructions (Bochs TSC); platform bochs, level 0,1,2,3'
hasnot "$all/levels.txt" 'no data in this run'
hasnot "$all/levels.txt" 'native'
has "$part/levels.txt" 'no data in this run for level 3'
hasnot "$part/levels.txt" 'bochs-l3'
# nested: one panel per job; a shadowing setting without records is named, not drawn.
for w in bochs-l2-shadow_on bochs-l2-shadow_off reflected vmreads vmwrites vmresumes other; do has "$all/nested.txt" "$w"; done
hasnot "$all/nested.txt" 'no data in this run'
has "$part/nested.txt" 'no data in this run: VMCS shadowing on'
hasnot "$part/nested.txt" 'bochs-l2-shadow_on'
# vmexit keeps to levels 0 and 1; hvstats to L0's own guest.
hasnot "$all/vmexit.txt" 'bochs-l2'
has "$all/vmexit.txt" 'level 0,1'
has "$all/hvstats.txt" 'bochs-l2-shadow_off'
has "$all/hvstats.txt" 'platform bochs, level 0, cpu'
echo ok
