#!/usr/bin/env bash
# The checks above can fail: a guest with a deliberately failing check (fail=1)
# must be rejected by the same verdict and exit with EXIT_FAIL.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run failing qemu --timeout 60 $SMOKE "fail=1"
expect_status 1
expect_line '^FAIL deliberate:'
if smoke_verdict failing; then fail "smoke_verdict accepted a failing guest"; fi
echo ok
