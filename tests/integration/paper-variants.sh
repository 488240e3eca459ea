#!/usr/bin/env bash
# The paper's generated sentences follow the data: two runs made from the reference
# run's logs, rewritten, stand for what this machine cannot produce.
#   kvm:   no native job; the /dev/kvm launcher (kvm-l0, its records saying
#          emulated=yes) beside QEMU on /dev/kvm (qemu-kvm-l0); a dirty tree.
#   clean: every record from a clean revision; the native runner on bare metal.
#   nested: levels 2 (VMCS shadowing on and off) and 3 beside the reference's jobs,
#           with L0's hv.nested records (paper-nested.bash): every number of the
#           nesting section quoted, each what its query or derivation yields.
#   nested-l2: the same without level 3 and without hv.nested records.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=paper.bash
. "$(dirname "$0")/paper.bash"
# shellcheck source=paper-nested.bash
. "$(dirname "$0")/paper-nested.bash"
ref=results/reference/raw
C=build/host/collect
[ -d $ref ] || fail "no reference logs in $ref"
# log RUN JOB: the console log of job JOB of the synthetic run RUN, from stdin.
log() { mkdir -p "$RUNS/$1/raw/$2"; cat > "$RUNS/$1/raw/$2/serial.log"; }
# vmexits LOG: its exit records, without the keys that say how the platform keeps
# time (each synthetic job plants its own).
vmexits() { grep -a '^@nb v=1 case=vmexit\.' "$1" | sed -E 's/ (emulated|insn_ticks|tsc_end)=[^ ]*//g'; }

vmexits $ref/bochs-l1-ept_4k/serial.log |
	sed 's/platform=bochs/platform=kvm/; s/clock=instructions/clock=tsc/; s/level=1/level=0/; s/$/ emulated=yes insn_ticks=3.50/' |
	log kvm kvm-l0
vmexits $ref/bochs-l0/serial.log | sed 's/platform=bochs/platform=qemu-kvm/; s/clock=instructions/clock=tsc/; s/$/ emulated=no/' |
	log kvm qemu-kvm-l0
for j in bochs-l0 bochs-l1-ept_4k bochs-l1-ept_2m bochs-l1-ept_1g; do log kvm $j < $ref/$j/serial.log; done
# The kvm run's binaries came from a tree with uncommitted changes.
sed -i 's/git=[^ ]*/git=0123456789ab-dirty/' "$RUNS"/kvm/raw/*/serial.log
sed 's/git=[^ ]*/git=0123456789ab/' $ref/bochs-l0/serial.log | log clean bochs-l0
sed 's/git=[^ ]*/git=0123456789ab/; s/level=1/level=0/; s/hv=[^ ]*/hv=none/' $ref/native/console.log | log clean native
for r in kvm clean; do
	sed 's/^git: .*/git: 0123456789abcdef/' results/reference/context > "$RUNS/$r/context"
	echo complete > "$RUNS/$r/STATUS"
	$C csv -o "$RUNS/$r/results.csv" "$RUNS/$r"/raw/*/serial.log || fail "collect csv ($r): status $?"
	scripts/paper --out "$RUNS/$r/paper" "$RUNS/$r" > "$RUNS/$r.out" 2>&1 || { cat "$RUNS/$r.out"; fail "scripts/paper ($r): status $?"; }
	pdf_text "$RUNS/$r/paper/nestbench.pdf" > "$RUNS/$r.txt"
done
nested_run "$RUNS/nested" l3
nested_run "$RUNS/nested-l2"
sed -i '/case=hv\.nested /d' "$RUNS"/nested-l2/raw/*/serial.log
$C csv -o "$RUNS/nested-l2/results.csv" "$RUNS"/nested-l2/raw/*/*.log || fail "collect csv (nested-l2): status $?"
for r in nested nested-l2; do
	scripts/paper --annotate --out "$RUNS/$r/paper" "$RUNS/$r" > "$RUNS/$r.out" 2>&1 || { cat "$RUNS/$r.out"; fail "scripts/paper ($r): status $?"; }
	pdf_text "$RUNS/$r/paper/nestbench.pdf" > "$RUNS/$r.txt"
done
has() { grep -q -F -- "$2" "$RUNS/$1.txt" || fail "$1: the PDF does not say '$2'"; }
hasnot() { ! grep -q -F -- "$2" "$RUNS/$1.txt" || fail "$1: the PDF says '$2'"; }

# kvm: the ratio table, exit by exit, from the two jobs' medians.
csv=$RUNS/kvm/results.csv rows=0
for c in $($C distinct "$csv" --col case --where job=kvm-l0); do
	k=$($C value "$csv" --value median --digits 0 --where "case=$c" --where job=kvm-l0 2>/dev/null) || continue
	q=$($C value "$csv" --value median --where "case=$c" --where job=qemu-kvm-l0 2>/dev/null) || continue
	row=$(awk -v c="${c#vmexit.}" -v k="$k" -v q="$q" 'BEGIN { printf "\\texttt{%s} & %s & %.0f & %.2f \\\\", c, k, q, k / q }')
	grep -q -x -F "$row" "$RUNS/kvm/paper/gen/kvm-qemu.tex" || fail "kvm: no table row '$row'"
	rows=$((rows + 1))
done
[ $rows -ge 3 ] || fail "kvm: only $rows exits measured by both the launcher and QEMU"
has kvm 'launcher ÷ QEMU'
has kvm 'The figures from bochs and kvm come from an emulating platform'
has kvm '3.50 ticks on kvm'
has kvm 'The records of kvm say that its /dev/kvm emulates the guest'
has kvm 'The figures from qemu-kvm were measured with the processor executing the code'
has kvm 'The measured tree had uncommitted changes'
has kvm 'Real clock. Not measured in this run'
has kvm 'no real-clock figures'
hasnot kvm 'n/a'
# clean: a clean tree, bare metal, and no launcher.
has clean 'The measured tree was clean'
hasnot clean 'uncommitted'
has clean 'runs at level 0: CPUID names no hypervisor below it'
hasnot clean 'itself a virtual machine'
has clean 'The launcher against QEMU. Not measured in this run'
# nested: every number of the nesting section quoted and right; the figures drawn.
checked=$(check_quotes "$RUNS/nested/results.csv" "$RUNS/nested.txt") || { echo "$checked"; exit 1; }
for n in $(section_names Nesting); do
	grep -q -F "[$n=" "$RUNS/nested.txt" || fail "nested: the PDF does not quote \\nb$n"
done
csv=$RUNS/nested/results.csv
on=$($C value "$csv" --value median --where case=vmexit.cpuid --where job=bochs-l2-shadow_on)
one=$($C value "$csv" --value median --where case=vmexit.cpuid --where job=bochs-l1-ept_2m)
ratio=$(awk -v a="$on" -v b="$one" 'BEGIN { printf "%.1f", a / b }')
has nested "[CpuidLtwoOnRatio=$ratio]"
exits=$($C value "$csv" --value l0_exits/l2_exits --digits 1 --where case=hv.nested --where reason=cpuid --where job=bochs-l2-shadow_off)
has nested "each CPUID exit of L2 costs L0 [CpuidLzeroExitsOff=$exits] exits without shadowing"
has nested 'emulated instructions under Bochs: path lengths, not cycles and not microseconds'
hasnot nested 'n/a'
hasnot nested 'not measured in this run'
hasnot nested 'This run has no data for figure'
for f in levels nested; do [ -s "$RUNS/nested/paper/fig/$f-instructions.pdf" ] || fail "nested: figure $f not drawn"; done
# nested-l2: what the run lacks is said, never quoted as n/a.
has nested-l2 'Level 3 was not measured in this run'
has nested-l2 'exits per exit of L2 were not measured in this run: it has no hv.nested records'
hasnot nested-l2 'n/a'
hasnot nested-l2 '[CpuidLzeroExitsOn='
check_quotes "$RUNS/nested-l2/results.csv" "$RUNS/nested-l2.txt" "$(section_names Nesting)" > /dev/null || exit 1
echo "kvm: $rows exits in the launcher/QEMU table; clean: provenance and host sentences as the data says"
echo "nested: $checked quoted numbers checked; nested-l2: the missing level 3 and L0 counts said, not quoted"
echo ok
