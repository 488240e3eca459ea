#!/usr/bin/env bash
# make paper's pipeline on the committed reference run: the PDF is built with its
# bibliography and figures, and every number its text quotes is what its query in
# paper/numbers.txt yields on the run's CSV. To find each quoted number in the PDF,
# --annotate typesets the same sources a second time, each quoted number printed as
# [NAME=VALUE] (one numbers.tex serves both, so they quote the same values); the
# plain PDF must show no such tag.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=paper.bash
. "$(dirname "$0")/paper.bash"
ref=results/reference
csv=$ref/results.csv
C=build/host/collect
[ -f $csv ] || fail "no reference results in $ref"
scripts/paper --annotate --out "$RUNS/paper" $ref > "$RUNS/plain.out" 2>&1
rc=$?
cat "$RUNS/plain.out"
[ $rc = 0 ] || fail "scripts/paper --annotate: status $rc"
for mode in plain annotated; do
	pdf=$RUNS/paper/nestbench$([ $mode = plain ] || echo -$mode).pdf
	[ -s "$pdf" ] || fail "no $mode PDF"
	pdf_text "$pdf" > "$RUNS/$mode.txt" || fail "pdftotext failed"
done
# A number the run lacks is warned about; the text then must not quote it (below).
grep 'warning: no value' "$RUNS/plain.out" | sed 's/^/(expected for data this run lacks) /'
! grep -q -E '\[[A-Za-z]+=' "$RUNS/plain.txt" || fail "the plain PDF shows annotations"

# Every quoted number: its value in the PDF is its query's answer. Without level-2
# jobs the nesting section says so and quotes none of its numbers.
hidden=""
[ -n "$($C distinct $csv --col job --where 'job=bochs-l2-*')" ] || hidden=$(section_names Nesting)
checked=$(check_quotes $csv "$RUNS/annotated.txt" "$hidden") || { echo "$checked"; exit 1; }

# Generated sentences say what the data shows.
for g in $($C distinct $csv --col git); do
	grep -q -F "$g" "$RUNS/plain.txt" || fail "the records' revision $g is not in the PDF"
done
if $C distinct $csv --col git | grep -q -- '-dirty$'; then
	grep -q 'The measured tree had uncommitted changes' "$RUNS/plain.txt" || fail "a dirty tree is not marked"
else
	grep -q 'The measured tree was clean' "$RUNS/plain.txt" || fail "a clean tree is not said to be"
fi
for p in $($C distinct $csv --col platform --where clock=instructions); do
	grep -q "figures from .*$p.* come from an emulating platform" "$RUNS/plain.txt" ||
		fail "platform $p counts instructions, but the PDF does not say it emulates"
done
# The nesting section says what the run lacks instead of quoting n/a.
if [ -z "$($C distinct $csv --col job --where 'job=bochs-l2-*')" ]; then
	grep -q 'Not measured in this run: it has no level-2 records' "$RUNS/plain.txt" ||
		fail "the run has no level-2 jobs, but the PDF does not say so"
fi
# Every figure the paper includes was drawn from this run; every citation resolves.
for f in vmexit-instructions vmexit-tsc tlb-tsc walk-instructions hvstats-instructions levels-instructions; do
	[ -s "$RUNS/paper/fig/$f.pdf" ] || fail "figure $f was not drawn"
done
! grep -q 'This run has no data for figure' "$RUNS/plain.txt" || fail "a figure placeholder is in the PDF"
! grep -q -E 'Citation .* undefined|\[\?\]' "$RUNS/plain.out" "$RUNS/plain.txt" || fail "an undefined citation"
grep -q 'Ravi Bhargava' "$RUNS/plain.txt" || fail "no bibliography in the PDF"
echo "PDF: $(pdfinfo "$RUNS/paper/nestbench.pdf" | sed -n 's/^Pages: *//p') pages; $checked quoted numbers checked against paper/numbers.txt"
echo ok
