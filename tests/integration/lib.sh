# tests/integration/lib.sh - sourced by the integration tests.
# Each test is an executable script: exit 0 pass, 77 skip, anything else fail.
set -uo pipefail
cd "$(dirname "$0")/../.."

SMOKE=build/l2-guests/smoke.elf
RUNS=build/test-runs/$(basename "$0" .sh)
rm -rf "$RUNS"; mkdir -p "$RUNS"

fail() { echo "FAILED: $*"; exit 1; }
skip() { echo "skipped: $*"; exit 77; }

# boot_run NAME PLATFORM [boot options and images...]: boots into $RUNS/NAME,
# saving the console in $RUNS/NAME.out and the runner's status in $status.
boot_run() {
	local name=$1 platform=$2
	shift 2
	status=0
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

# smoke_verdict NAME: ok when the smoke guest's console shows every check passing
# (PASS lines for each runtime check, no FAIL line, a clean summary). Prints why not.
smoke_verdict() {
	local log="$RUNS/$1/serial.log" c
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

HV=build/vmm/hv.elf

# hv_sane NAME: the hypervisor finished its run without crashing and its own text and
# data are unchanged by whatever the guest did.
hv_sane() {
	local log="$RUNS/$1/serial.log"
	grep -a -q -E '^hv: self-checksum .*: unchanged$' "$log" || fail "hypervisor self-checksum missing or changed in $log"
	if grep -a -q -E '^(EXCEPTION|PANIC)' "$log"; then fail "the hypervisor crashed"; fi
}

BENCH=build/l2-guests/bench.elf
NATIVE=build/host/bench

# check_records FILE: every "@nb v=1" line is well formed: key=value words only, the
# context keys present, and either a status=unsupported with a reason, a count
# (unit=refs) or a timing (metric, unit, clock, iterations, repetitions and
# median/min/max/p90 as decimals). Prints each bad line. (The collector of the
# results pipeline will be the canonical parser; this is the tests' check.)
check_records() {
	awk '
	/^@nb / {
		n++; bad = 0; delete kv
		if ($2 != "v=1") bad = 1
		for (i = 2; i <= NF; i++) {
			if ($i !~ /^[a-z0-9_]+=[^ ]+$/) bad = 1
			split($i, p, "="); kv[p[1]] = substr($i, length(p[1]) + 2)
		}
		if (kv["case"] ~ /^hv\./) { if (!("platform" in kv) || !("level" in kv)) bad = 1 }
		else {
			split("case params metric platform level hv cpu git", need, " ")
			for (k in need) if (!(need[k] in kv)) bad = 1
			if (kv["status"] == "unsupported") { if (!("reason" in kv)) bad = 1 }
			else if (kv["unit"] == "refs") { if (kv["refs_walked"] !~ /^[0-9]+$/) bad = 1 }
			else {
				split("unit clock iterations repetitions", t, " ")
				for (k in t) if (!(t[k] in kv)) bad = 1
				split("median min max p90", s, " ")
				for (k in s) if (kv[s[k]] !~ /^-?[0-9]+\.[0-9][0-9]$/) bad = 1
				if (kv["clock"] != "tsc" && kv["clock"] != "instructions") bad = 1
			}
		}
		if (bad) { print "malformed record: " $0; nbad++ }
	}
	END { if (!n) print "no records"; exit (nbad || !n) }' "$1" || fail "malformed records in $1"
}

# expect_record FILE REGEX: a record line matching REGEX exists.
expect_record() {
	grep -a -q -E -- "^@nb v=1 .*$2" "$1" || fail "no record matching '$2' in $1"
}
