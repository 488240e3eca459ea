# shellcheck shell=bash
# Helpers for the three-level tests (hv-nested-*.sh): our hypervisor with nested=on
# on Bochs (L0) runs our hypervisor (L1), which runs a guest (L2). Sourced after
# lib.sh.

# both_sane: L0's and L1's self-checksums are both reported unchanged.
# shellcheck disable=SC2154 # last: set by boot_run (lib.sh, sourced first)
both_sane() {
	local log="$RUNS/$last/serial.log" n
	n=$(grep -a -c -E '^hv: self-checksum .*: unchanged$' "$log")
	[ "$n" = 2 ] || fail "want both hypervisors' self-checksums unchanged, saw $n in $log"
	hv_sane
}

# nested_smoke SHADOW EPT: the smoke guest passes every runtime check at level 2
# with L0's shadow=SHADOW (on: VMCS shadowing, L1's VMREAD/VMWRITE of guest state and
# exit information do not exit; off: they all exit) and EPT pages of size EPT (4k,
# 2m) in L0. Both hypervisors exit cleanly with their self-checksums unchanged; L0
# counted exits from level 2 (the guest ran at L2, not at L1), says which shadow= it
# ran with, and saw L1's VMREADs exit (off) or not a single one (on). One setting per
# test (hv-nested-shadow-{on,off}-{4k,2m}.sh), so that they run in parallel.
nested_smoke() {
	local shadow=$1 ept=$2
	boot_run "shadow-$shadow-$ept" bochs --timeout 60 --mem 1024 \
		"$HV" "nested=on shadow=$shadow mem=512m ept=$ept" \
		"$HV" "mem=64m" "$SMOKE" "echo=level2"
	expect_status 0
	smoke_verdict || fail "smoke checks at level 2 (L0 ept=$ept shadow=$shadow)"
	expect_line '^cmdline: echo=level2$'
	expect_line "^hv: nestbench hypervisor at level 0 on bochs; ept=$ept "
	expect_line '^hv: nestbench hypervisor at level 1 on bochs;'
	expect_line '^@nb v=1 case=hv.exits reason=cpuid .* from_level=2$'
	expect_line '^@nb v=1 case=hv.exits reason=vmresume .* from_level=1$'
	expect_line "^@nb v=1 case=hv.exits .* level=0 hv=[^ ]*,shadow:${shadow}[, ]"
	if [ "$shadow" = on ]; then
		! grep -a -q -E '^@nb v=1 case=hv.exits reason=vmread .* from_level=1$' \
			"$RUNS/${last:?}/serial.log" || fail "L1's VMREADs exited with shadow=on"
	else
		expect_line '^@nb v=1 case=hv.exits reason=vmread .* from_level=1$'
	fi
	both_sane
	echo ok
}
