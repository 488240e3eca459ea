# shellcheck shell=bash
# tests/integration/lib.sh - sourced by the integration tests, first thing:
#   # shellcheck source=lib.sh
#   . "$(dirname "$0")/lib.sh"
# Each test is an executable script: exit 0 pass, 77 skip, anything else fail.
# It runs at the top of the tree, and keeps its files in $RUNS (emptied first).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit

# What the tests run: the guests, the hypervisor and the native runner.
# shellcheck disable=SC2034 # used by the tests that source this file, not here
SMOKE=build/l2-guests/smoke.elf BENCH=build/l2-guests/bench.elf HV=build/vmm/hv.elf \
	NATIVE=build/host/bench
RUNS=build/test-runs/$(basename "$0" .sh)
rm -rf "$RUNS"; mkdir -p "$RUNS"

fail() { echo "FAILED: $*"; exit 1; }
skip() { echo "skipped: $*"; exit 77; }

# boot_run NAME PLATFORM [boot options and images...]: boots into $RUNS/NAME, saving
# the runner's output in $RUNS/NAME.out. It sets two variables for the checks that
# follow: $status, the runner's exit status, and $last, NAME: the run that
# expect_line, smoke_verdict and hv_sane look at when they are not given one.
boot_run() {
	local name=$1 platform=$2
	shift 2
	last=$name status=0
	scripts/boot --quiet --platform "$platform" --out "$RUNS/$name" "$@" \
		> "$RUNS/$name.out" 2>&1 || status=$?
	cp "$RUNS/$name/serial.log" "$RUNS/$name.out.serial" 2>/dev/null || true
	echo "== $name on $platform: status $status"
	cat "$RUNS/$name/serial.log" 2>/dev/null
	tail -n 3 "$RUNS/$name.out"
}

# expect_status WANT: the last boot_run ended with that status.
expect_status() {
	[ "$status" = "$1" ] || fail "exit status $status, want $1"
}

# expect_line REGEX [NAME]: the console of the last (or the named) run has a matching line.
expect_line() {
	local log="$RUNS/${2:-$last}/serial.log"
	grep -a -q -E -- "$1" "$log" || fail "no line matching '$1' in $log"
}

# smoke_verdict [NAME]: ok when the smoke guest's console in the last (or the named)
# run shows every check passing (PASS lines for each runtime check, no FAIL line, a
# clean summary). Prints why not.
smoke_verdict() {
	local log="$RUNS/${1:-$last}/serial.log" c
	for c in console cmdline exception-ud exception-pf paging-4k paging-2m frames; do
		grep -a -q "^PASS $c:" "$log" || { echo "check '$c' did not pass"; return 1; }
	done
	grep -a -q -E '^(PASS|SKIP) paging-1g:' "$log" || { echo "check 'paging-1g' missing"; return 1; }
	if grep -a -q '^FAIL ' "$log"; then
		grep -a '^FAIL ' "$log"
		return 1
	fi
	grep -a -q -E '^smoke: [0-9]+ passed, 0 failed' "$log" || { echo "no clean smoke summary"; return 1; }
}

# same_as_bare PREFIX [NAME]: the guest's lines starting with PREFIX are the same in
# the runs "bare" (on the platform alone) and NAME, default "hv" (under the
# hypervisor): it sees what the hardware would show it.
same_as_bare() {
	local bare hv
	bare=$(grep -a "^$1" "$RUNS/bare/serial.log") || fail "no '$1' lines bare"
	hv=$(grep -a "^$1" "$RUNS/${2:-hv}/serial.log") || fail "no '$1' lines under the hypervisor"
	if [ "$bare" != "$hv" ]; then
		diff <(echo "$bare") <(echo "$hv")
		fail "the guest's answers differ bare (<) and under the hypervisor (>)"
	fi
	echo "both: $(echo "$bare" | wc -l) '$1' line(s) alike"
	echo "$bare" | head -n 3
}

# hv_sane [NAME]: in the last (or the named) run, the hypervisor finished without
# crashing and its own text and data are unchanged by whatever the guest did.
hv_sane() {
	local log="$RUNS/${1:-$last}/serial.log"
	grep -a -q -E '^hv: self-checksum .*: unchanged$' "$log" || fail "hypervisor self-checksum missing or changed in $log"
	if grep -a -q -E '^(EXCEPTION|PANIC)' "$log"; then fail "the hypervisor crashed"; fi
}

# check_records FILE: there are records and every one is well formed, as the results
# pipeline's collector (host/record.c, the one record parser) judges them.
check_records() {
	build/host/collect check "$1" || fail "malformed or no records in $1 (collect check: status $?)"
}

# expect_record FILE REGEX: a record line matching REGEX exists.
expect_record() {
	grep -a -q -E -- "^@nb v=1 .*$2" "$1" || fail "no record matching '$2' in $1"
}
