#!/usr/bin/env bash
# Chaos cases the hypervisor must stop, each with a specific report, without
# crashing, hanging or changing its own memory (self-checksum).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
CHAOS=build/l2-guests/chaos.elf
stopped() { # case, hv args, expected report (regex)
	boot_run "$1" bochs --timeout 120 $HV "$2" $CHAOS "case=$1"
	expect_status 5
	expect_line "^hv: guest stopped: $3"
	hv_sane
}
stopped triple "" 'triple fault'
stopped beyond_ram "" 'EPT violation: read of guest-physical 0x4000000, outside its 64 MiB of RAM'
stopped apic "" 'EPT violation: write of guest-physical 0xfee00000'
stopped above_4g "" 'EPT violation: read of guest-physical 0x100200000'
stopped loop "timeout=20000000" 'ran past timeout=20000000 TSC ticks'
stopped hlt "" 'HLT with interrupts disabled'
# pte_escape with count=4: the accessed/dirty flags the processor sets, the reference
# for paging=shadow's (chaos-shadow.sh).
boot_run pte_escape bochs --timeout 120 $HV "" $CHAOS "case=pte_escape count=4"
expect_status 5
expect_line '^hv: guest stopped: EPT violation: read of guest-physical 0x4000028, outside its 64 MiB of RAM \(while walking its own page tables\)'
hv_sane
for c in pte-dirty pte-image pte-frame pte-large; do expect_line "^PASS $c: " pte_escape; done
boot_run ram_sweep bochs --timeout 120 $HV "" $CHAOS "case=ram_sweep"
expect_status 0
hv_sane ram_sweep
echo ok
