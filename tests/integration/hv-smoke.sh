#!/usr/bin/env bash
# The smoke guest passes every runtime check at level 1, under our hypervisor on
# Bochs, for every EPT page size with VPID on and off.
. "$(dirname "$0")/lib.sh"
for ept in 4k 2m 1g; do
	mem=512
	[ $ept = 1g ] && mem=3072  # a free, 1 GiB-aligned GiB of host memory
	for vpid in on off; do
		last=$ept-vpid-$vpid
		boot_run $last bochs --timeout 120 --mem $mem $HV "ept=$ept vpid=$vpid" $SMOKE "echo=level1"
		expect_status 0
		smoke_verdict $last || fail "smoke checks under the hypervisor (ept=$ept vpid=$vpid)"
		expect_line '^cmdline: echo=level1$'
		expect_line "^hv: nestbench hypervisor at level 0 on bochs; ept=$ept .*vpid=$vpid"
		expect_line '^@nb v=1 case=hv.exits reason=cpuid '
		hv_sane $last
	done
done
echo ok
