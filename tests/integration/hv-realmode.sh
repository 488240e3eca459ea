#!/usr/bin/env bash
# The guest sees in real mode what bare hardware shows: the early guest (realmode=1)
# clears CR0.PE and, with an IVT of its own, takes the #GP of an RDMSR and of a WRMSR
# (no error code in real mode: an injection with one fails VM entry) and writes CR0
# values including NE, CD and NW, reading each back (VM entry and exit never load CD
# and NW, so only the read shadow returns them). Its one-line account must be the
# same bare under Bochs and under our hypervisor on Bochs, and sane.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
EARLY=build/l2-guests/early.elf
boot_run bare bochs --timeout 60 $EARLY "realmode=1"
expect_status 0
expect_line '^PASS realmode: '
boot_run hv bochs --timeout 60 $HV "" $EARLY "realmode=1"
expect_status 0
expect_line '^PASS realmode: '
hv_sane
same_as_bare "realmode: "
echo ok
