#!/usr/bin/env bash
# The smoke guest at level 2, L0 ept=4k, without VMCS shadowing (shadow=off): the same
# layout, every VMREAD/VMWRITE of L1 exits and L0 serves it from vmcs02 or the vmcs12
# region (hv-nested.bash).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=hv-nested.bash
. "$(dirname "$0")/hv-nested.bash"
nested_smoke off 4k
