#!/usr/bin/env bash
# The paper's generated sentences follow the data: two runs made from the reference
# run's logs, rewritten, stand for what this machine cannot produce. Each combines
# two situations whose sentences do not overlap, so that one build checks both.
#   kvm:   no native job; the /dev/kvm launcher (kvm-l0, its records saying
#          emulated=yes) beside QEMU on /dev/kvm (qemu-kvm-l0); a dirty tree; and
#          level 2 (VMCS shadowing on and off) without level 3 and without L0's
#          hv.nested records (paper-nested.bash): what the run lacks is said.
#   clean: every record from a clean revision; the native runner on bare metal; and
#          levels 2 and 3 with L0's hv.nested records: every number of the nesting
#          section quoted, each what its query or derivation yields.
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

# Both start from the reference's jobs with level 2 (paper-nested.bash); clean adds level 3.
nested_run "$RUNS/kvm"
nested_run "$RUNS/clean" l3
# kvm: no native job and no hv.nested records; the launcher and QEMU on /dev/kvm.
rm -r "$RUNS/kvm/raw/native"
sed -i '/case=hv\.nested /d' "$RUNS"/kvm/raw/*/serial.log
vmexits $ref/bochs-l1-ept_4k/serial.log |
	sed 's/platform=bochs/platform=kvm/; s/clock=instructions/clock=tsc/; s/level=1/level=0/; s/$/ emulated=yes insn_ticks=3.50/' |
	log kvm kvm-l0
vmexits $ref/bochs-l0/serial.log | sed 's/platform=bochs/platform=qemu-kvm/; s/clock=instructions/clock=tsc/; s/$/ emulated=no/' |
	log kvm qemu-kvm-l0
# The kvm run's binaries came from a tree with uncommitted changes, clean's from a
# clean one, its native runner on bare metal (level 0, no hypervisor).
sed -i 's/git=[^ ]*/git=0123456789ab-dirty/' "$RUNS"/kvm/raw/*/serial.log
sed -i 's/git=[^ ]*/git=0123456789ab/' "$RUNS"/clean/raw/*/*.log
sed -i 's/level=1/level=0/; s/hv=[^ ]*/hv=none/' "$RUNS"/clean/raw/native/console.log
for r in kvm clean; do
	sed 's/^git: .*/git: 0123456789abcdef/' results/reference/context > "$RUNS/$r/context"
	$C csv -o "$RUNS/$r/results.csv" "$RUNS/$r"/raw/*/*.log || fail "collect csv ($r): status $?"
	scripts/paper --annotate --out "$RUNS/$r/paper" "$RUNS/$r" > "$RUNS/$r.out" 2>&1 || { cat "$RUNS/$r.out"; fail "scripts/paper ($r): status $?"; }
	pdf_text "$RUNS/$r/paper/nestbench.pdf" > "$RUNS/$r.txt"
	pdf_text "$RUNS/$r/paper/nestbench-annotated.pdf" > "$RUNS/$r-annotated.txt"
done
# has TEXT STRING, hasnot TEXT STRING: TEXT is a run's plain PDF (kvm) or its
# annotated one (kvm-annotated).
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
# kvm: level 2 alone, without L0's counts: what the run lacks is said, never quoted as n/a.
has kvm 'Level 3 was not measured in this run'
has kvm 'exits per exit of L2 were not measured in this run: it has no hv.nested records'
hasnot kvm-annotated '[CpuidLzeroExitsOn='
check_quotes "$RUNS/kvm/results.csv" "$RUNS/kvm-annotated.txt" "$(section_names Nesting)" > /dev/null || exit 1
# clean: a clean tree, bare metal, and no launcher.
has clean 'The measured tree was clean'
hasnot clean 'uncommitted'
has clean 'runs at level 0: CPUID names no hypervisor below it'
hasnot clean 'itself a virtual machine'
has clean 'The launcher against QEMU. Not measured in this run'
# clean: every number of the nesting section quoted and right; the figures drawn.
checked=$(check_quotes "$RUNS/clean/results.csv" "$RUNS/clean-annotated.txt") || { echo "$checked"; exit 1; }
for n in $(section_names Nesting); do
	grep -q -F "[$n=" "$RUNS/clean-annotated.txt" || fail "clean: the PDF does not quote \\nb$n"
done
csv=$RUNS/clean/results.csv
on=$($C value "$csv" --value median --where case=vmexit.cpuid --where job=bochs-l2-shadow_on)
one=$($C value "$csv" --value median --where case=vmexit.cpuid --where job=bochs-l1-ept_2m)
ratio=$(awk -v a="$on" -v b="$one" 'BEGIN { printf "%.1f", a / b }')
has clean-annotated "[CpuidLtwoOnRatio=$ratio]"
exits=$($C value "$csv" --value l0_exits/l2_exits --digits 1 --where case=hv.nested --where reason=cpuid --where job=bochs-l2-shadow_off)
has clean-annotated "each CPUID exit of L2 costs L0 [CpuidLzeroExitsOff=$exits] exits without shadowing"
has clean 'emulated instructions under Bochs: path lengths, not cycles and not microseconds'
hasnot clean 'n/a'
hasnot clean 'not measured in this run'
hasnot clean 'This run has no data for figure'
for f in levels nested; do [ -s "$RUNS/clean/paper/fig/$f-instructions.pdf" ] || fail "clean: figure $f not drawn"; done
echo "kvm: $rows exits in the launcher/QEMU table, the missing level 3 and L0 counts said, not quoted"
echo "clean: provenance and host sentences as the data says; $checked quoted numbers checked"
echo ok
