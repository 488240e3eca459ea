#!/usr/bin/env bash
# The smoke guest at level 2, L0 ept=2m, with VMCS shadowing in L0 (shadow=on): vmcs02
# is the shadow VMCS of vmcs01 while L1 runs, so L1's VMREADs do not exit
# (hv-nested.bash).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=hv-nested.bash
. "$(dirname "$0")/hv-nested.bash"
nested_smoke on 2m
