#!/usr/bin/env bash
# The smoke guest passes every runtime check on Bochs (GRUB ISO boot) and its
# command line and exit status arrive.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run pass bochs --timeout 60 $SMOKE "echo=hello-bochs"
expect_status 0
smoke_verdict pass || fail "smoke checks on bochs"
expect_line '^cmdline: echo=hello-bochs$'
boot_run status bochs --timeout 60 $SMOKE "status=42"
expect_status 42
echo ok
