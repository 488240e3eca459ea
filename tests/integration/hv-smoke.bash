#!/usr/bin/env bash
# The smoke guest passes every runtime check at level 1, under our hypervisor on
# Bochs, with VPID on and off. The EPT page size comes from the name the script is
# run by (hv-smoke-4k.sh, -2m, -1g: symlinks), so the three run in parallel.
. "$(dirname "$0")/lib.sh"
ept=$(basename "$0" .sh); ept=${ept##*-}
case $ept in 4k|2m|1g) ;; *) fail "run me as hv-smoke-{4k,2m,1g}.sh" ;; esac
for ept in $ept; do
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
