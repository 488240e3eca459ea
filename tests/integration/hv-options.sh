#!/usr/bin/env bash
# Hypervisor options and CPU models: pmu=on and ept_ad=on run the smoke guest;
# ept_levels=5 is refused cleanly (77) where the CPU lacks 5-level EPT (every Bochs
# model); other VMX models than the default work.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for opt in pmu=on ept_ad=on; do
	boot_run "${opt%%=*}" bochs --timeout 120 $HV "$opt" $SMOKE ""
	expect_status 0
	smoke_verdict || fail "smoke under the hypervisor with $opt"
	expect_line "^hv: nestbench hypervisor .*$opt"
	hv_sane
done
boot_run ept5 bochs --timeout 60 $HV "ept_levels=5" $SMOKE ""
expect_status 77
expect_line '^hv: this CPU has no 5-level EPT \(ept_levels=5\) \(IA32_VMX_EPT_VPID_CAP 0x[0-9a-f]+\); skipping$'
for model in corei7_haswell_4770 corei7_icelake_u; do
	boot_run "$model" bochs --timeout 120 --model $model $HV "" $SMOKE ""
	expect_status 0
	smoke_verdict $model || fail "smoke under the hypervisor on $model"
done
echo ok
