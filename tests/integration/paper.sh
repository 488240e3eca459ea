#!/usr/bin/env bash
# make paper's pipeline on the committed reference run: the PDF is built, its figures
# are the run's, and the numbers its text quotes are the CSV's.
. "$(dirname "$0")/lib.sh"
ref=results/reference
[ -f $ref/results.csv ] || fail "no reference results in $ref"
scripts/paper --out "$RUNS/paper" $ref > "$RUNS/paper.out" 2>&1
rc=$?
cat "$RUNS/paper.out"
[ $rc = 0 ] || fail "scripts/paper: status $rc"
pdf=$RUNS/paper/nestbench.pdf
[ -s "$pdf" ] || fail "no PDF"
! grep -q 'warning: no value' "$RUNS/paper.out" || fail "the reference run lacks a number the paper quotes"
# The text in reading order, lines joined and hyphenation undone, for grep.
pdftotext "$pdf" - | tr '\n' ' ' | sed 's/- //g; s/  */ /g' > "$RUNS/paper.txt" || fail "pdftotext failed"
C=build/host/collect
cpuid=$($C value $ref/results.csv --value median --digits 0 --where case=vmexit.cpuid --where platform=bochs \
	--where level=1 --where hv.ept=4k) || fail "no L1 CPUID figure in the reference CSV"
grep -q "costs $cpuid emulated instructions" "$RUNS/paper.txt" ||
	fail "the abstract does not quote the CSV's L1 CPUID figure ($cpuid)"
native=$($C value $ref/results.csv --value median --digits 0 --where case=vmexit.cpuid --where platform=native) ||
	fail "no native CPUID figure in the reference CSV"
grep -q "CPUID costs $native TSC cycles" "$RUNS/paper.txt" || fail "the native CPUID figure ($native) is not in the PDF"
# Every figure the paper includes was drawn from this run.
for f in vmexit-instructions vmexit-tsc tlb-tsc walk-instructions hvstats-instructions; do
	[ -s "$RUNS/paper/fig/$f.pdf" ] || fail "figure $f was not drawn"
done
! grep -q 'This run has no data for figure' "$RUNS/paper.txt" || fail "a figure placeholder is in the PDF"
echo "PDF: $(pdfinfo "$pdf" | sed -n 's/^Pages: *//p') pages; L1 CPUID $cpuid instructions, native CPUID $native cycles"
echo ok
