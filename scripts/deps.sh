#!/usr/bin/env bash
# scripts/deps.sh - install the Debian packages nestbench needs, only those missing.
set -euo pipefail

usage() {
	cat <<'EOF2'
Usage: scripts/deps.sh [--paper] [--check]

Installs, with apt-get, every Debian package that `make`, `make test` and
`make bench` need and that is not installed yet. Idempotent: when nothing is
missing it prints one line and changes nothing.

  --paper   also the LaTeX packages that `make paper` needs
  --check   only report what is missing; exit 1 if anything is
  -h        this text

As non-root it prints the exact sudo command to run and stops with status 1.
EOF2
}

# Build and test: compilers come with the machine; emulators, GRUB's ISO tools,
# the PMU event library, the unit-test framework, the shell lint and the plotter
# do not.
packages=(
	bochs bochsbios bochs-term vgabios     # Bochs, its BIOS and headless display
	qemu-system-x86                        # QEMU (TCG, and KVM where /dev/kvm works)
	grub-pc-bin grub-common xorriso mtools # GRUB ISOs for booting kernels under Bochs
	libpfm4-dev                            # PMU event names -> raw codes
	libcmocka-dev                          # unit tests
	shellcheck                             # the scripts' lint (tests/integration/shellcheck.sh)
	gnuplot-nox                            # figures
)
paper_packages=(texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended latexmk poppler-utils)

check=0
while [ $# -gt 0 ]; do
	case "$1" in
	--paper) packages+=("${paper_packages[@]}") ;;
	--check) check=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "deps.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done

missing=()
for p in "${packages[@]}"; do
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps.sh: all ${#packages[@]} packages present"
	exit 0
fi
echo "deps.sh: missing: ${missing[*]}"
[ $check = 0 ] || exit 1
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: not root; run this, then try again:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are absent or a first attempt fails,
# so a machine with a current cache installs without touching the network index.
if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 ||
   ! apt-get install -y --no-install-recommends "${missing[@]}"; then
	apt-get update
	apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "deps.sh: installed ${missing[*]}"
