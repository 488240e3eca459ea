#!/usr/bin/env bash
# The smoke guest passes every runtime check on nestbench's own /dev/kvm launcher
# (build/host/kvmrun through scripts/boot --platform kvm), with its command line, its
# exit status, a caught crash and a timeout. Skipped where /dev/kvm does not work.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run pass kvm --timeout 60 $SMOKE "echo=hello-kvm"
if [ "$status" = 77 ] && ! grep -a -q '^@exit status=' "$RUNS/pass/serial.log" 2>/dev/null; then
	skip "$(grep -a -m 1 -o 'kvmrun: .*' "$RUNS/pass.out" || echo "platform kvm is not available here")"
fi
expect_status 0
smoke_verdict pass || fail "smoke checks on kvm"
expect_line '^cmdline: echo=hello-kvm$'
boot_run status kvm --timeout 60 $SMOKE "status=42"
expect_status 42
expect_line '^@exit status=42$'
boot_run crash kvm --timeout 60 $SMOKE "crash=1"
expect_status 3
expect_line '^EXCEPTION #UD invalid opcode \(vector 6\)'
boot_run hang kvm --timeout 5 $SMOKE "hang=1"
expect_status 124
expect_line '^hang=1: spinning forever$'
echo ok
