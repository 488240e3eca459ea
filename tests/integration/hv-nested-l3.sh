#!/usr/bin/env bash
# Stacks of our hypervisor on Bochs with no options anywhere: the defaults (nested=on,
# mem= sized to what each hypervisor has) must make them work. First three kernels
# (L0 hv, L1 hv, the smoke guest at level 2), then four: L0 hv, L1 hv, L2 hv, the
# smoke guest at level 3. At level 3, L1 is itself a nested hypervisor: every VMX
# instruction of its nested code is emulated by L0, and L1 switches between its two
# VMCSs (the one running L2, the one running L3) on each exit of L3 it reflects.
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

boot_run four bochs "$HV" "" "$HV" "" "$HV" "" "$SMOKE" "echo=level3"
expect_status 0
smoke_verdict || fail "smoke checks at level 3 with default options"
expect_line '^cmdline: echo=level3$'
expect_line '^hv: nestbench hypervisor at level 2 on bochs;'
expect_line '^@nb v=1 case=hv.exits reason=io_instruction .*level=2 .* from_level=3$'
all_sane 3
echo ok
