#!/usr/bin/env bash
# A guest that writes every character to COM1 and to port 0xe9 (console=both) under
# our hypervisor on Bochs: its COM1 line lands once in serial.log, and its 0xe9 line
# once on the platform's own port 0xe9 (Bochs's port_e9_hack: the emulator's stdout,
# saved as stdout.log), never doubled into one stream.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run both bochs --timeout 60 $HV "" $SMOKE "console=both echo=twice_not"
expect_status 0
smoke_verdict || fail "smoke checks with console=both under the hypervisor"
expect_line '^cmdline: echo=twice_not$'
n=$(grep -a -c -x 'cmdline: echo=twice_not' "$RUNS/both/serial.log")
[ "$n" = 1 ] || fail "the guest's cmdline line is in serial.log $n times, want 1"
grep -a -q 'ccmmddlliinnee' "$RUNS/both/serial.log" && fail "the guest's characters are doubled in serial.log"
n=$(grep -a -c -x 'cmdline: echo=twice_not' "$RUNS/both/stdout.log")
[ "$n" = 1 ] || fail "the guest's 0xe9 line is in Bochs's port 0xe9 output $n times, want 1"
hv_sane
echo ok
