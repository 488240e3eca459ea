#!/usr/bin/env bash
# An unexpected exception prints a dump that says where, and fails the run.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for p in qemu bochs; do
	boot_run "$p" $p --timeout 60 $SMOKE "crash=1"
	expect_status 3
	expect_line '^EXCEPTION #UD invalid opcode \(vector 6\)'
	expect_line '^  rip 0x0000000000[0-9a-f]{6}  cs 0x8'
	expect_line '^  backtrace: 0x'
done
echo ok
