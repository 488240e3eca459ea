# shellcheck shell=bash
# tests/integration/chaos.bash - the chaos cases, sourced by the chaos tests of
# each level (chaos-stopped.sh at level 1, chaos-l2.sh at level 2), so that a case
# ends alike at every level by construction of the test, not by a copied list.
# shellcheck disable=SC2034 # used by the tests that source this file

CHAOS=build/l2-guests/chaos.elf

# The cases the guest survives, as one case= list (one boot runs them all); with
# case vmx too where the hypervisor offers VMX (CHAOS_VMX_ARGS).
CHAOS_SURVIVE=cr,msr,io,invd,hypercall,mmio
CHAOS_SURVIVE_VMX=$CHAOS_SURVIVE,vmx
CHAOS_VMX_ARGS="nested=on"

# The cases the hypervisor must stop: the hypervisor's arguments for each, and the
# start of its report after "hv: guest stopped: " (a regex). RAM is 64 MiB.
CHAOS_STOPPED=(triple beyond_ram apic above_4g loop hlt)
declare -A CHAOS_STOP_ARGS=([loop]="timeout=5000000")
declare -A CHAOS_STOP_REPORT=(
	[triple]='triple fault'
	[beyond_ram]='EPT violation: read of guest-physical 0x4000000, outside its 64 MiB of RAM'
	[apic]='EPT violation: write of guest-physical 0xfee00000'
	[above_4g]='EPT violation: read of guest-physical 0x100200000'
	[loop]='ran past timeout=5000000 TSC ticks'
	[hlt]='HLT with interrupts disabled'
)

# chaos_count LIST: how many cases a case= list names.
chaos_count() {
	tr ',' '\n' <<< "$1" | wc -l
}

# chaos_level [NAME]: the chaos guest's level in the last (or the named) run: one
# more than the hypervisors under it, each of which prints its banner.
chaos_level() {
	grep -a -c '^hv: nestbench hypervisor at level' "$RUNS/${1:-$last}/serial.log"
}

# chaos_checks [NAME]: the guest's check lines in the last (or the named) run, the
# level HC_INFO returns checked against chaos_level and then written as L, so
# that runs at different levels compare equal.
chaos_checks() {
	local log="$RUNS/${1:-$last}/serial.log" level
	level=$(chaos_level "${1:-$last}")
	grep -a -q "^PASS hc-info: HC_INFO returned level $level," "$log" ||
		fail "HC_INFO does not return level $level in $log"
	grep -a -E '^(PASS|FAIL|SKIP|INFO) ' "$log" | sed -E 's/returned level [0-9]+,/returned level L,/'
}
