#!/usr/bin/env bash
# Every numeric option is checked: negative, overflowing, malformed or out-of-range
# values and missing values exit with the documented bad-arguments status (2 for the
# native runner and scripts/bench, 125 for scripts/boot) and a message; the native
# runner and scripts/bench agree on the repetition limit.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# expect_refused WANT_STATUS MESSAGE_REGEX COMMAND...: the command exits WANT_STATUS
# within 20 s (a wrapped-around value would run for hours) and says MESSAGE_REGEX.
n=0
expect_refused() {
	local want=$1 msg=$2 rc=0
	shift 2
	n=$((n + 1))
	timeout -s KILL 20 "$@" > "$RUNS/$n.out" 2>&1 < /dev/null || rc=$?
	[ "$rc" = "$want" ] || fail "$* exited $rc, want $want: $(tail -n 2 "$RUNS/$n.out")"
	grep -q -E -- "$msg" "$RUNS/$n.out" || fail "$* did not say '$msg': $(tail -n 2 "$RUNS/$n.out")"
}

# The native runner.
for a in --goal=-5 --goal=0 --goal=99999999999999999999 --goal=1x --goal= --reps=-1 --reps=0 \
	--best-of=65 --rounds=0 --cpu=-1 --cpu=99999; do
	expect_refused 2 "^bench: ${a%%=*} takes a number from [0-9]+ to [0-9]+, not '${a#*=}'" $NATIVE --bench=vmexit.cpuid "$a"
done

# One repetition limit: the runner states it, the runner and scripts/bench both take
# it and both refuse one more.
max=$($NATIVE --help | sed -n 's/^ *--reps=N .* 1\.\.\([0-9]*\) .*/\1/p')
[ -n "$max" ] || fail "build/host/bench --help states no repetition limit"
# An unknown case fails after the options are accepted, so nothing is run.
expect_refused 2 "'no.such' matches no case" $NATIVE --bench=no.such --reps="$max"
expect_refused 2 "takes a number from 1 to $max, not '$((max + 1))'" $NATIVE --reps=$((max + 1))
scripts/bench --platform native --reps "$max" --list > "$RUNS/list.out" 2>&1 || fail "scripts/bench --reps $max: $(cat "$RUNS/list.out")"
expect_refused 2 "--reps takes a number from 1 to $max, not '$((max + 1))'" scripts/bench --platform native --reps $((max + 1)) --list
for v in 0 -3 010 1x; do
	expect_refused 2 "--reps takes a " scripts/bench --platform native --reps "$v" --list
done
NB_BENCH_LIMIT_FACTOR=0 expect_refused 2 "NB_BENCH_LIMIT_FACTOR takes a number" scripts/bench --platform native --list
NB_BENCH_ESTIMATE=native=-1 expect_refused 2 "NB_BENCH_ESTIMATE takes platform=SECONDS" scripts/bench --platform native --list

# A missing value: the documented status, not bash's 1 from ${2:?}.
for o in --platform --level --case --config --out --reps; do
	expect_refused 2 "^bench: $o needs a value" scripts/bench "$o"
done
for o in --platform --model --timeout --mem --out; do
	expect_refused 125 "^boot: $o needs a value" scripts/boot $SMOKE "$o"
done
# scripts/boot's numbers: 010 would be octal to bash, 2^64 would wrap.
for v in 0 -5 010 99999999999999999999 86401; do
	expect_refused 125 "^boot: --timeout takes seconds from 1 to 86400, not '$v'" scripts/boot --platform qemu --timeout "$v" $SMOKE
done
for v in 8 -512 0512 65537 99999999999999999999; do
	expect_refused 125 "^boot: --mem takes MiB from 16 to 65536, not '$v'" scripts/boot --platform qemu --mem "$v" $SMOKE
done
echo "ok: $n refusals"
