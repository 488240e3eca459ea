#!/usr/bin/env bash
# Bad input gets a clear error, and a VM-entry failure provoked on purpose is decoded.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
boot_run badarg bochs --timeout 60 $HV "ept=3m" $SMOKE ""
expect_status 4
expect_line "^hv: error: bad value in 'ept=3m"
boot_run nomodule bochs --timeout 60 $HV "ept=2m"
expect_status 4
expect_line '^hv: error: no guest; give the guest kernel as module 1'
# An ELF that is no multiboot kernel: a host program (one of the unit tests).
boot_run notkernel bochs --timeout 60 $HV "" build/tests/unit/test_fmt ""
expect_status 4
expect_line '^hv: error: cannot load the guest .*: not a multiboot kernel: no header in the first 8 KiB$'
boot_run guestbadarg bochs --timeout 60 $HV "" $SMOKE "bogus=1"
expect_status 4
expect_line "unknown command-line word 'bogus=1'"
hv_sane guestbadarg
boot_run entry-guest bochs --timeout 60 $HV "fail_entry=guest" $SMOKE ""
expect_status 1
expect_line '^hv: guest stopped: VM entry failed: exit reason 33 \(invalid guest state\)'
boot_run entry-control bochs --timeout 60 $HV "fail_entry=control" $SMOKE ""
expect_status 1
expect_line '^hv: guest stopped: VM entry failed: VM-instruction error 7: VM entry with invalid control field\(s\)'
echo ok
