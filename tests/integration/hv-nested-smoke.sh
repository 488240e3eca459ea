#!/usr/bin/env bash
# The smoke guest at level 2: our hypervisor with nested=on on Bochs (L0) runs our
# hypervisor (L1), which runs the smoke guest (L2) - L1's VMLAUNCH/VMRESUME enter
# L2 through a vmcs02 and EPT02, and L2's exits that L1 asked for reach L1. With 4
# KiB and 2 MiB EPT pages in L0. Every runtime check of the smoke guest must pass,
# both hypervisors must exit cleanly with their self-checksums unchanged, and L0
# must have counted exits from level 2 (the guest ran at L2, not at L1).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for ept in 4k 2m; do
	boot_run "ept-$ept" bochs --timeout 60 --mem 1024 "$HV" "nested=on mem=512m ept=$ept" \
		"$HV" "mem=64m" "$SMOKE" "echo=level2"
	expect_status 0
	smoke_verdict || fail "smoke checks at level 2 (L0 ept=$ept)"
	expect_line '^cmdline: echo=level2$'
	expect_line "^hv: nestbench hypervisor at level 0 on bochs; ept=$ept "
	expect_line '^hv: nestbench hypervisor at level 1 on bochs;'
	expect_line '^@nb v=1 case=hv.exits reason=cpuid .* from_level=2$'
	expect_line '^@nb v=1 case=hv.exits reason=vmresume .* from_level=1$'
	log="$RUNS/$last/serial.log"
	n=$(grep -a -c -E '^hv: self-checksum .*: unchanged$' "$log")
	[ "$n" = 2 ] || fail "want both hypervisors' self-checksums unchanged, saw $n in $log"
	hv_sane
done
echo ok
