#!/usr/bin/env bash
# The smoke guest passes every runtime check on QEMU TCG (-cpu max: 5-level paging
# and 1 GiB pages), with its command line, a module and its exit status.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run pass qemu --timeout 60 $SMOKE "echo=hello-qemu"
expect_status 0
smoke_verdict pass || fail "smoke checks on qemu"
expect_line '^cmdline: echo=hello-qemu$'
boot_run status qemu --timeout 60 $SMOKE "status=42"
expect_status 42
boot_run badarg qemu --timeout 60 $SMOKE "ept 2m"
expect_status 4
expect_line "unknown command-line word 'ept'"
echo ok
