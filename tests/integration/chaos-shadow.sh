#!/usr/bin/env bash
# Every chaos case under paging=shadow ends as under EPT (chaos-survive.sh,
# chaos-stopped.sh): the same architectural answers, or stopped with a report that
# names the same guest-physical address ("page fault" where EPT says "EPT
# violation"), the hypervisor's self-checksum unchanged. pte_escape aims the guest's
# page tables at the hypervisor's memory and outside RAM. The cases the guest
# survives share one boot, as in chaos-survive.sh, with ram_sweep last (it takes
# every free frame: no case may follow it); each other case boots once (EPT's runs
# are those tests'), two boots at a time.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
CHAOS=build/l2-guests/chaos.elf
SURVIVE="cr msr io invd hypercall mmio"
survive=${SURVIVE// /,},ram_sweep

# start NAME HVARGS CASEARGS: boots the chaos guest under paging=shadow in the
# background; its status goes to $RUNS/NAME.status.
start() {
	while [ "$(jobs -r | wc -l)" -ge 2 ]; do wait -n; done
	( boot_run "$1" bochs --timeout 120 "$HV" "paging=shadow $2" "$CHAOS" "$3" > "$RUNS/$1.console"
	  echo "$status" > "$RUNS/$1.status" ) &
}
start survive "" "case=$survive"
for c in triple beyond_ram apic above_4g hlt; do
	start "$c" "" "case=$c"
done
start loop "timeout=5000000" "case=loop"
start pte_escape "" "case=pte_escape count=4"
wait

# ended NAME STATUS: the run NAME ended with STATUS, the hypervisor intact.
ended() {
	cat "$RUNS/$1.console"
	last=$1 status=$(cat "$RUNS/$1.status" 2>/dev/null || echo none)
	expect_status "$2"
	hv_sane
}
ended survive 0
if grep -a -q '^FAIL ' "$RUNS/survive/serial.log"; then fail "case=$survive under paging=shadow"; fi
for c in $SURVIVE; do expect_line "^chaos $c: [0-9]+ passed, 0 failed"; done
n=$(($(wc -w <<< "$SURVIVE") + 1))
expect_line "^chaos: $n cases: $n ok, 0 failed, 0 skipped\$"
expect_line '^PASS hc-info: HC_INFO returned level 1'
expect_line '^PASS mmio-8: '
expect_line '^chaos: wrote [0-9]+ MiB .* 0 read-backs differ$'
# stopped NAME REPORT: stopped by the hypervisor with that report (a regex).
stopped() {
	ended "$1" 5
	expect_line "^hv: guest stopped: $2"
}
stopped triple 'triple fault'
stopped beyond_ram 'page fault: read of guest-physical 0x4000000, outside its 64 MiB of RAM'
stopped apic 'page fault: write of guest-physical 0xfee00000'
stopped above_4g 'page fault: read of guest-physical 0x100200000'
stopped loop 'ran past timeout=5000000 TSC ticks'
stopped hlt 'HLT with interrupts disabled'
stopped pte_escape 'page fault: read of guest-physical 0x4000028, outside its 64 MiB of RAM \(while walking its own page tables\)'
for c in pte-dirty pte-image pte-frame pte-large; do expect_line "^PASS $c: " pte_escape; done
echo ok
