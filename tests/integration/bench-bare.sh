#!/usr/bin/env bash
# The bench guest bare (level 0) on QEMU TCG and Bochs: every family reports, well
# formed; what needs a nestbench hypervisor says unsupported.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for p in qemu bochs; do
	boot_run "$p" $p --timeout 300 $BENCH "reps=3 goal=200000"
	expect_status 0
	log=$RUNS/$p/serial.log
	check_records "$log"
	clock=$([ $p = bochs ] && echo instructions || echo tsc)
	for c in cpuid pio msr cr8 ud; do
		expect_record "$log" "case=vmexit\.$c params=- metric=round_trip unit=ticks clock=$clock platform=$p level=0 hv=none "
	done
	expect_record "$log" 'case=vmexit\.vmcall .*status=unsupported'
	expect_record "$log" 'case=vmexit\.mmio .*status=unsupported'
	expect_record "$log" 'case=tlb\.chase params=page=4K,span=1M,lines=256 .*median='
	expect_record "$log" 'case=tlb\.chase params=page=2M,span=16M,lines=8 .*median='
	expect_record "$log" 'case=walk\.depth params=page=4K .*guest_refs=[45] guest_page_level=1 ept_refs=0 '
	# Every record says how loops end and what a plain ADD costs; under Bochs, whose
	# TSC counts instructions, exactly one tick, and the platform is emulated.
	if [ $p = bochs ]; then
		expect_record "$log" 'case=walk\.depth .* tsc_end=rdtscp insn_ticks=1\.00 emulated=yes '
	fi
done
echo ok
