#!/usr/bin/env bash
# The smoke guest under our hypervisor on Bochs, with 1 GiB EPT pages (hv-smoke.bash).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=hv-smoke.bash
. "$(dirname "$0")/hv-smoke.bash"
hv_smoke 1g 3072 # a free, 1 GiB-aligned GiB of Bochs RAM
