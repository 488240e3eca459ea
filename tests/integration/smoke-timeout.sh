#!/usr/bin/env bash
# A Bochs run that hangs is killed by the outer timeout, reported as such (124),
# and its console log is kept.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run hang bochs --timeout 8 $SMOKE "hang=1"
expect_status 124
expect_line '^hang=1: spinning forever$'
grep -q 'TIMEOUT after 8s' "$RUNS/hang.out" || fail "runner did not report the timeout"
echo ok
