#!/usr/bin/env bash
# Every shell script of the repository is clean under shellcheck (default severity,
# settings in .shellcheckrc). The scripts are found, not listed: a tracked file whose
# first line is a sh or bash shebang, or a sourced one that names its shell with a
# "# shellcheck shell=" directive (tests/integration/lib.sh), so a new one is covered.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
command -v shellcheck > /dev/null || skip "shellcheck is not installed (scripts/deps.sh installs it)"

if git rev-parse --git-dir > /dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard
else
	find . -path ./.git -prune -o -path ./build -prune -o -type f -printf '%P\0'
fi > "$RUNS/files"
files=()
while IFS= read -r -d '' f; do
	[ -f "$f" ] && files+=("$f")  # else deleted from the work tree, still in the index
done < "$RUNS/files"
# One awk over every file, not a grep per file: forks are what a per-file loop costs.
scripts=()
while IFS= read -r -d '' f; do scripts+=("$f"); done < <(
	awk 'FNR == 1 && /^#! *(\/usr\/bin\/env +|\/bin\/|\/usr\/bin\/)(ba)?sh( |$)/ ||
	     /^# shellcheck shell=(ba)?sh$/ { printf "%s%c", FILENAME, 0; nextfile }' "${files[@]}")
# A floor, so that a discovery broken by some change cannot pass by checking nothing.
[ ${#scripts[@]} -ge 40 ] || fail "found only ${#scripts[@]} shell scripts: ${scripts[*]}"
rc=0
shellcheck "${scripts[@]}" > "$RUNS/findings" 2>&1 || rc=$?
cat "$RUNS/findings"
[ $rc = 0 ] || fail "shellcheck (status $rc) has findings above in: $(sed -n 's/^In \(.*\) line [0-9]*:$/\1/p' "$RUNS/findings" | sort -u | tr '\n' ' ')"
echo "ok: ${#scripts[@]} shell scripts clean under shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
