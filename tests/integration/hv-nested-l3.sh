#!/usr/bin/env bash
# Stacks of our hypervisor on Bochs with no options anywhere: the defaults (nested=on,
# mem= sized to what each hypervisor has) must make them work. First three kernels
# (L0 hv, L1 hv, the smoke guest at level 2), and in too little memory a clear
# error, then four: L0 hv, L1 hv, L2 hv, the smoke guest at level 3. There L1 is
# itself a nested hypervisor: every VMX instruction of its nested code is emulated
# by L0, and L1 switches between its two VMCSs (the one running L2, the one running
# L3) on each exit of L3 it reflects.
# Every runtime check of the smoke guest must pass, every hypervisor must exit
# cleanly with its self-checksum unchanged, and the level-2 hypervisor must have
# counted its guest's exits as coming from level 3.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# all_sane N: N hypervisors reported their self-checksums unchanged, none crashed.
all_sane() {
	local log="$RUNS/$last/serial.log" n
	n=$(grep -a -c -E '^hv: self-checksum .*: unchanged$' "$log")
	[ "$n" = "$1" ] || fail "want $1 hypervisors' self-checksums unchanged, saw $n in $log"
	hv_sane
}

boot_run three bochs "$HV" "" "$HV" "" "$SMOKE" "echo=level2"
expect_status 0
smoke_verdict || fail "smoke checks at level 2 with default options"
expect_line '^cmdline: echo=level2$'
expect_line '^hv: nestbench hypervisor at level 0 on bochs; .* mem=64M$'
expect_line '^hv: nestbench hypervisor at level 1 on bochs;'
all_sane 2

# Where the memory does not stretch that far, the hypervisor that runs short says
# which options give it more: Bochs 16 MiB leave L0 6 MiB of guest RAM, and L1 too
# little for a guest.
boot_run tiny bochs --mem 16 "$HV" "" "$HV" "" "$SMOKE" ""
expect_status 1
expect_line '^hv: cannot allocate .*smaller mem=.*scripts/boot --mem, or mem= of the hypervisor below\)$'

# About 780 M emulated instructions, some 30 s of Bochs's time; the timeout leaves
# room for a machine shared with other emulators.
boot_run four bochs --timeout 300 "$HV" "" "$HV" "" "$HV" "" "$SMOKE" "echo=level3"
expect_status 0
smoke_verdict || fail "smoke checks at level 3 with default options"
expect_line '^cmdline: echo=level3$'
expect_line '^hv: nestbench hypervisor at level 2 on bochs;'
expect_line '^@nb v=1 case=hv.exits reason=io_instruction .*level=2 .* from_level=3$'
all_sane 3
# L0 keeps EPT02 for each of L1's two EPTs, so that the switch between them at each
# exit of level 3 costs no composition: L0's mean handler time for L1's VMRESUME was
# about 23,500 instructions when it composed EPT02 afresh at every switch, about
# 6,200 since (Bochs counts instructions: the figure is the same in every run).
rec=$(grep -a -E '^@nb v=1 case=hv.exits reason=vmresume .* level=0 .* from_level=1$' \
	"$RUNS/$last/serial.log") || fail "no record of L0's VMRESUMEs of L1"
count=$(sed -E 's/.* count=([0-9]+) .*/\1/' <<< "$rec")
ticks=$(sed -E 's/.* ticks=([0-9]+) .*/\1/' <<< "$rec")
echo "L0: L1's VMRESUME: $count, $((ticks / count)) instructions each"
[ $((ticks / count)) -lt 12000 ] || fail "L0 composes EPT02 afresh at each switch of L1's EPT"
echo ok
