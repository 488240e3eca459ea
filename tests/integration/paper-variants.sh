#!/usr/bin/env bash
# The paper's generated sentences follow the data: two runs made from the reference
# run's logs, rewritten, stand for what this machine cannot produce.
#   kvm:   no native job; the /dev/kvm launcher (kvm-l0, its records saying
#          emulated=yes) beside QEMU on /dev/kvm (qemu-kvm-l0); a dirty tree.
#   clean: every record from a clean revision; the native runner on bare metal.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
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
	pdftotext "$RUNS/$r/paper/nestbench.pdf" - | tr '\n' ' ' | sed 's/- //g; s/  */ /g' > "$RUNS/$r.txt"
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
echo "kvm: $rows exits in the launcher/QEMU table; clean: provenance and host sentences as the data says"
echo ok
