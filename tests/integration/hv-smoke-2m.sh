#!/usr/bin/env bash
# The smoke guest under our hypervisor on Bochs, with 2 MiB EPT pages (hv-smoke.bash).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=hv-smoke.bash
. "$(dirname "$0")/hv-smoke.bash"
hv_smoke 2m 512
