#!/usr/bin/env bash
# Figures say which of their jobs ran emulated: a job whose records carry emulated=yes
# (Bochs, or a /dev/kvm that emulates) is named in the footnote of every figure it is
# in, beside the clock, platforms, levels and CPUs; records without the key (runs
# made before records carried it) draw as before, without the note.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v gnuplot > /dev/null || skip "gnuplot is not installed (scripts/deps.sh)"
command -v pdftotext > /dev/null || skip "pdftotext is not installed (scripts/deps.sh)"
ref=results/reference
run=$RUNS/run
# unkeyed: the records without the keys that say how the platform keeps time.
unkeyed() { sed -E 's/ (emulated|insn_ticks|tsc_end)=[^ ]*//g' "$1"; }
logs=() bare=()
for job in native bochs-l0 bochs-l1-ept_4k; do
	src=""
	for f in "$ref/raw/$job/"{console,serial}.log; do [ -e "$f" ] && { src=$f; break; }; done
	[ -n "$src" ] || fail "no console log for $job in $ref"
	case $job in bochs*) e=yes ;; *) e=no ;; esac
	mkdir -p "$run/raw/$job"
	unkeyed "$src" | sed "s/^@nb v=1 .*/& emulated=$e insn_ticks=1.00 tsc_end=rdtscp/" > "$run/raw/$job/console.log"
	logs+=("$run/raw/$job/console.log")
	mkdir -p "$RUNS/ref/raw/$job"
	unkeyed "$src" > "$RUNS/ref/raw/$job/console.log"
	bare+=("$RUNS/ref/raw/$job/console.log")
done
build/host/collect csv -o "$run/results.csv" "${logs[@]}" 2> "$RUNS/collect.err" ||
	fail "collect csv: $(cat "$RUNS/collect.err")"
scripts/plot --pdf-only "$run" > "$RUNS/plot.out" 2>&1 || fail "scripts/plot: $(tail -n 3 "$RUNS/plot.out")"
# footnote FIGURE: the figure's text on one line.
footnote() { pdftotext "$1" - | tr '\n' ' '; }
n=0
for pdf in "$run"/figures/*-instructions.pdf; do
	footnote "$pdf" | grep -q "clock: emulated instructions (Bochs TSC); platform bochs, level [0-9,]*, cpu [^ ]*; emulated: bochs-l" ||
		fail "$pdf: no 'emulated: JOBS' in the footnote: $(footnote "$pdf")"
	n=$((n + 1))
done
[ $n -ge 3 ] || fail "only $n Bochs figures drawn"
for pdf in "$run"/figures/*-tsc.pdf; do
	footnote "$pdf" | grep -q "clock: TSC cycles; platform native" || fail "$pdf: footnote lacks its clock and platform"
	footnote "$pdf" | grep -q "emulated:" && fail "$pdf: the native job is called emulated"
done
# Without the key, as in runs made before records carried it: every figure, no note.
build/host/collect csv -o "$RUNS/ref/results.csv" "${bare[@]}" 2> "$RUNS/collect-bare.err" ||
	fail "collect csv without the keys: $(cat "$RUNS/collect-bare.err")"
scripts/plot --pdf-only "$RUNS/ref" > "$RUNS/ref.out" 2>&1 || fail "scripts/plot without the keys: $(tail -n 3 "$RUNS/ref.out")"
for pdf in "$RUNS"/ref/figures/*.pdf; do
	footnote "$pdf" | grep -q "clock: .*; platform .*, level .*, cpu " || fail "$pdf: no footnote"
	footnote "$pdf" | grep -q "emulated:" && fail "$pdf: says emulated without any emulated= record"
done
echo ok
