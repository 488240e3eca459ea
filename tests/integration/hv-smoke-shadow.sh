#!/usr/bin/env bash
# The smoke guest under our hypervisor on Bochs with paging=shadow: no EPT, the
# guest on shadow page tables (vmm/shadow/). Its 4K/2M/1G mapping checks and its
# #PF check (vector, error code, CR2) pass as on bare hardware, with VPID on and off
# (hv-smoke.bash); the shadow really ran (page faults, INVLPG and CR3 accesses
# exit). What it does not do is said: real mode (no unrestricted guest without
# EPT) stops the guest, and nested=on is refused.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=hv-smoke.bash
. "$(dirname "$0")/hv-smoke.bash"
hv_smoke 2m 512 paging=shadow
for run in 2m-vpid-on 2m-vpid-off; do
	expect_line '^PASS cmdline: .*hvconfig=[^ ]*paging:shadow' "$run"
	expect_line '^hv: shadow paging: [1-9][0-9]* entries filled, [1-9][0-9]* INVLPG drops' "$run"
	for reason in exception_nmi invlpg cr_access; do
		expect_record "$RUNS/$run/serial.log" "case=hv.exits reason=$reason .*paging:shadow"
	done
	if grep -a -q 'reason=ept_violation' "$RUNS/$run/serial.log"; then
		fail "an EPT violation under paging=shadow ($run)"
	fi
done

boot_run realmode bochs --timeout 60 "$HV" "paging=shadow" build/l2-guests/early.elf "realmode=1"
expect_status 5
expect_line '^hv: guest stopped: real mode \(CR0.PE clear\) is not emulated under paging=shadow'
hv_sane

# Refused before VT-x is looked for: QEMU (no VMX) is quick to show it.
boot_run nested qemu --timeout 60 "$HV" "paging=shadow nested=on" "$SMOKE" ""
expect_status 4
expect_line '^hv: error: paging=shadow cannot run nested=on' nested
echo ok
