# shellcheck shell=bash
# hv_smoke EPT MEM [HVARGS]: the smoke guest passes every runtime check at level 1,
# under our hypervisor on Bochs with EPT pages of size EPT (4k, 2m or 1g), MEM MiB of
# Bochs RAM and the hypervisor's further HVARGS (e.g. paging=shadow), with VPID on
# and off (runs EPT-vpid-on and EPT-vpid-off). Sourced, after lib.sh, by
# hv-smoke-4k.sh, -2m.sh, -1g.sh and -shadow.sh, so that they run in parallel.
hv_smoke() {
	local ept=$1 mem=$2 extra=${3:-} vpid
	for vpid in on off; do
		boot_run "$ept-vpid-$vpid" bochs --timeout 120 --mem "$mem" "$HV" "ept=$ept vpid=$vpid $extra" "$SMOKE" "echo=level1"
		expect_status 0
		smoke_verdict || fail "smoke checks under the hypervisor (ept=$ept vpid=$vpid)"
		expect_line '^cmdline: echo=level1$'
		expect_line "^hv: nestbench hypervisor at level 0 on bochs; ept=$ept .*vpid=$vpid"
		expect_line '^@nb v=1 case=hv.exits reason=cpuid '
		hv_sane
	done
	echo ok
}
