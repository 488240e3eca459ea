#!/usr/bin/env bash
# make paper's pipeline on the committed reference run: the PDF is built with its
# bibliography and figures, and every number its text quotes is what its query in
# paper/numbers.txt yields on the run's CSV. To find each quoted number in the PDF,
# the paper is built a second time with --annotate, which prints each as
# [NAME=VALUE]; the two builds' generated numbers must differ in nothing else.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
ref=results/reference
csv=$ref/results.csv
C=build/host/collect
[ -f $csv ] || fail "no reference results in $ref"
for mode in plain annotated; do
	opt=(); [ $mode = annotated ] && opt=(--annotate)
	scripts/paper "${opt[@]}" --out "$RUNS/$mode" $ref > "$RUNS/$mode.out" 2>&1
	rc=$?
	cat "$RUNS/$mode.out"
	[ $rc = 0 ] || fail "scripts/paper ${opt[*]}: status $rc"
	[ -s "$RUNS/$mode/nestbench.pdf" ] || fail "no $mode PDF"
	# The text in reading order, lines joined and hyphenation undone, for grep.
	pdftotext "$RUNS/$mode/nestbench.pdf" - | tr '\n' ' ' | sed 's/- //g; s/  */ /g' > "$RUNS/$mode.txt" ||
		fail "pdftotext failed"
done
! grep -q 'warning: no value' "$RUNS/plain.out" || fail "the reference run lacks a number the paper quotes"
diff <(grep -v '^\\newcommand{\\nbQuote}' "$RUNS/plain/gen/numbers.tex") \
	<(grep -v '^\\newcommand{\\nbQuote}' "$RUNS/annotated/gen/numbers.tex") ||
	fail "the annotated build quotes other numbers than the plain one"
! grep -q -E '\[[A-Za-z]+=' "$RUNS/plain.txt" || fail "the plain PDF shows annotations"

# Every quoted number: its value in the PDF is its query's answer.
grep -o -E '\[[A-Za-z]+=[^] ]*\]' "$RUNS/annotated.txt" > "$RUNS/quoted" || fail "no quoted number in the PDF"
checked=0
while read -r name digits expr where; do
	case "$name" in ''|'#'*) continue ;; esac
	args=()
	for w in $where; do args+=(--where "$w"); done
	want=$($C value $csv --value "$expr" --digits "$digits" "${args[@]}") ||
		fail "numbers.txt: $name ($expr where $where) has no value in $csv"
	n=$(grep -c -F "[$name=" "$RUNS/quoted")
	[ "$n" -ge 1 ] || fail "\\nb$name is in paper/numbers.txt but the PDF does not quote it"
	# Each use the text makes of it is in the PDF (generated sentences may add more).
	uses=$(grep -v '^ *%' paper/nestbench.tex | grep -o -E "\\\\nb$name([^A-Za-z]|\$)" | wc -l)
	[ "$n" -ge "$uses" ] || fail "\\nb$name: the text uses it $uses times, the PDF shows $n"
	bad=$(grep -F "[$name=" "$RUNS/quoted" | grep -v -x -F "[$name=$want]" | head -n 1)
	[ -z "$bad" ] || fail "the PDF quotes $bad; its query ($expr where $where) yields $want"
	checked=$((checked + n))
done < paper/numbers.txt
total=$(wc -l < "$RUNS/quoted")
[ "$checked" = "$total" ] || fail "the PDF quotes $total numbers, of which only $checked are in paper/numbers.txt"

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
# Every figure the paper includes was drawn from this run; every citation resolves.
for f in vmexit-instructions vmexit-tsc tlb-tsc walk-instructions hvstats-instructions; do
	[ -s "$RUNS/plain/fig/$f.pdf" ] || fail "figure $f was not drawn"
done
! grep -q 'This run has no data for figure' "$RUNS/plain.txt" || fail "a figure placeholder is in the PDF"
! grep -q -E 'Citation .* undefined|\[\?\]' "$RUNS/plain.out" "$RUNS/plain.txt" || fail "an undefined citation"
grep -q 'Ravi Bhargava' "$RUNS/plain.txt" || fail "no bibliography in the PDF"
echo "PDF: $(pdfinfo "$RUNS/plain/nestbench.pdf" | sed -n 's/^Pages: *//p') pages; $checked quoted numbers checked against paper/numbers.txt"
echo ok
