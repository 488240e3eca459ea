#!/usr/bin/env bash
# What one exit of L2 costs L0, counted exactly: the bench guest's vmexit cases at
# L2 on Bochs (L0: our hypervisor with nested=on, L1: our hypervisor), and L0's
# hv.nested records checked against L1's own hv.exits records. For every exit
# reason R that reached L1, its round trips of L2 through L1 must have cost L0
# exactly 2 exits each (the reflected exit, the VMRESUME), plus with shadow=off
# (trap-based) one per VMREAD and VMWRITE L1's handlers made in them, plus the
# other exits L1's handlers caused, which must be named in others=:
#   - io_instruction: L1 forwards each byte L2 writes to port 0xE9 with an OUT of
#     its own, so other= must be exactly the bytes of L2's console (L2 writes only
#     there here): the IN of vmexit.pio itself costs nothing more;
#   - cpuid (L1 answers from the answers it cached at start-up), vmcall and
#     ept_violation (vmexit.mmio): none.
# L1's VMREADs and VMWRITEs are its totals for R, from its records. The run's last
# exit of L2 (the write to the exit port) is no round trip: L1 stops there, L0
# counts it unfinished=1, and L1 counts it among its exits with fewer VMREADs. So
# for a reason with an unfinished round trip they are r and w per round trip, from
# the difference of two runs that differ only in repetitions, where that exit
# cancels out (they must divide exactly); in each run L1's count for R must be
# L0's l2_exits + unfinished. Not every exit of R need cost L1 the same: a CPUID
# of leaf 1 or 7 reads the guest's CR4 besides (OSXSAVE, OSPKE).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

C=build/host/collect
CASES=vmexit.cpuid,vmexit.vmcall,vmexit.pio,vmexit.msr,vmexit.cr8,vmexit.mmio
REASONS="cpuid vmcall io_instruction msr_read cr_access ept_violation"

# L0's keys in two tables (a table takes up to 8 values).
L0_COUNTS="l2_exits l0_exits reflected vmreads vmwrites vmresumes other unfinished"
L0_KEYS="$L0_COUNTS l0_ticks l1_ticks others"
L1_KEYS="count vmreads vmwrites"
declare -A val  # val[RUN:REASON:KEY]: L0's hv.nested keys, L1's hv.exits ones as l1.KEY
got=            # what get and per_exit found

# table RUN PREFIX KEYS WHERE...: reads one table of run RUN's records, a row per
# reason, into val[RUN:REASON:PREFIXKEY].
table() {
	local run=$1 prefix=$2 keys=$3 reason k
	local -a cols
	shift 3
	$C table "$RUNS/$run.csv" --rows reason --series level --value "${keys// /,}" "$@" \
		> "$RUNS/$run.$prefix.dat" 2> /dev/null || fail "collect table of $run: status $?"
	read -r -a cols <<< "$keys"
	while read -r reason rest; do
		read -r -a rest <<< "$rest"
		for k in "${!cols[@]}"; do
			val[$run:$reason:$prefix${cols[k]}]=${rest[k]}
		done
	done < <(tail -n +2 "$RUNS/$run.$prefix.dat")
}

# nested_run RUN L0_ARGS REPS: the cases at L2, one timed iteration per loop
# (goal=4096), L2's console on port 0xE9; its records read into val[], the bytes
# L2 wrote (Bochs's port 0xE9 output, from its first line to its exit line) in
# $RUNS/RUN.e9.
nested_run() {
	boot_run "$1" bochs --timeout 60 --mem 1024 "$HV" "nested=on mem=512m $2" \
		"$HV" "mem=64m" "$BENCH" "bench=$CASES goal=4096 reps=$3 console=e9"
	expect_status 0
	local log="$RUNS/$1/serial.log"
	[ "$(grep -a -c -E '^hv: self-checksum .*: unchanged$' "$log")" = 2 ] ||
		fail "want both hypervisors' self-checksums unchanged in $log"
	check_records "$log"
	# Each configuration names its nesting and what it runs on.
	expect_record "$log" 'case=hv\.nested reason=cpuid .* level=0 hv=[^ ]*,nested:on,below:none[, ]'
	expect_record "$log" 'case=hv\.exits .* level=1 hv=[^ ]*,nested:on,below:nestbench-L0[, ]'
	$C csv -o "$RUNS/$1.csv" "$log" 2> /dev/null || fail "collect csv $log: status $?"
	table "$1" "" "$L0_COUNTS" --where case=hv.nested --where level=0
	table "$1" "" "${L0_KEYS#"$L0_COUNTS" }" --where case=hv.nested --where level=0
	table "$1" l1. "$L1_KEYS" --where case=hv.exits --where level=1 --where from_level=2
	sed -n '/^bench: /,/^@exit status=/p' "$RUNS/$1/stdout.log" > "$RUNS/$1.e9"
	grep -q '^@exit status=0$' "$RUNS/$1.e9" || fail "no console of L2 on port 0xE9 in $RUNS/$1"
	expect_record "$RUNS/$1.e9" 'case=vmexit\.cpuid .* level=2 hv=[^ ]*,nested:on,below:nestbench-L0[, ]'
}

# get RUN REASON KEY: one value; fails when the run has no such record.
get() {
	[ -n "${val[$1:$2:$3]:-}" ] || fail "run $1 has no $3 for reason $2"
	got=${val[$1:$2:$3]}
}

# per_exit KEY REASON A B: sets got to L1's KEY per exit of REASON over the exits
# run B has more than run A; it must divide exactly.
per_exit() {
	local n d
	get "$4" "$2" "l1.$1"; n=$got; get "$3" "$2" "l1.$1"; n=$((n - got))
	get "$4" "$2" l1.count; d=$got; get "$3" "$2" l1.count; d=$((d - got))
	[ "$d" -gt 0 ] || fail "$2: run $4 has no more exits than run $3"
	[ $((n % d)) = 0 ] || fail "$2: L1's $1 ($n over $d exits) are no whole number per exit"
	got=$((n / d))
}

# check_run RUN REASON FORMULA r w: run RUN's record of REASON against FORMULA
# (L0 exits besides other=, in n, the round trips, and R and W, L1's VMREADs and
# VMWRITEs in them; r and w per round trip stand for those when one is unfinished).
check_run() {
	local run=$1 reason=$2 formula=$3 r=$4 w=$5 k sum=0 names=""
	local -A v
	for k in $L0_KEYS; do
		get "$run" "$reason" "$k"; v[$k]=$got
	done
	for k in $L1_KEYS; do
		get "$run" "$reason" "l1.$k"; v[l1.$k]=$got
	done
	local l2=${v[l2_exits]} others=${v[others]}
	local what="$run $reason: ${v[l0_exits]} L0 exits for $l2 L2 exits, other=${v[other]} ($others)"
	echo "$what; L1: $r VMREADs, $w VMWRITEs per exit"
	[ "$l2" -gt 0 ] || fail "$what: no round trips"
	# Under Bochs a tick is an instruction: neither L0 nor L1 handles an exit in none.
	if [ "${v[l0_ticks]}" -lt "${v[l0_exits]}" ] || [ "${v[l1_ticks]}" -lt "$l2" ]; then
		fail "$what: l0_ticks=${v[l0_ticks]}, l1_ticks=${v[l1_ticks]}"
	fi
	[ "${v[reflected]}" = "$l2" ] || fail "$what: reflected=${v[reflected]}, want $l2"
	[ "${v[vmresumes]}" = "$l2" ] || fail "$what: vmresumes=${v[vmresumes]}, want $l2"
	[ "${v[l0_exits]}" = $(( v[reflected] + v[vmreads] + v[vmwrites] + v[vmresumes] + v[other] )) ] ||
		fail "$what: l0_exits is not reflected + vmreads + vmwrites + vmresumes + other"
	# The one round trip left unfinished is the exit port's, an OUT.
	[ "${v[unfinished]}" = "$([ "$reason" = io_instruction ] && echo 1 || echo 0)" ] ||
		fail "$what: unfinished=${v[unfinished]}"
	[ "${v[l1.count]}" = $(( l2 + v[unfinished] )) ] ||
		fail "$what: L1 counted ${v[l1.count]} exits, want l2_exits + unfinished"
	# Where every exit in L1's record was a round trip, its totals are the round
	# trips' own.
	local n=$l2 R=$((r * l2)) W=$((w * l2))
	if [ "${v[unfinished]}" = 0 ]; then
		R=${v[l1.vmreads]} W=${v[l1.vmwrites]}
	fi
	[ "${v[l0_exits]}" = $(( formula + v[other] )) ] ||
		fail "$what: want $formula + other = $(( formula + v[other] )) (R=$R, W=$W)"
	if [ "$others" != none ]; then
		for k in ${others//,/ }; do
			sum=$(( sum + ${k#*:} )) names="$names ${k%%:*}"
		done
	fi
	[ "$sum" = "${v[other]}" ] || fail "$what: others= adds up to $sum"
	case $reason in
	cpuid|vmcall|ept_violation)
		[ "${v[other]}" = 0 ] || fail "$what: want no other exits" ;;
	io_instruction)
		[ "$others" = none ] || [ "$names" = " $reason" ] ||
			fail "$what: want other exits of L1's $reason only" ;;
	esac
	if [ "$reason" = io_instruction ]; then
		local bytes
		bytes=$(wc -c < "$RUNS/$run.e9")
		[ "${v[other]}" = "$bytes" ] ||
			fail "$what: want one per byte L2 wrote to port 0xE9 ($bytes)"
	fi
}

# check_counts NAME L0_ARGS FORMULA: two runs with L0_ARGS (1 and 2 repetitions),
# every reason in both checked against FORMULA, an arithmetic expression in n, R and
# W (check_run): the exits of L0 besides other= ('2 * n' where L1's VMREADs and
# VMWRITEs do not exit).
check_counts() {
	local name=$1 reason r w
	nested_run "$name-1" "$2" 1
	nested_run "$name-2" "$2" 2
	for reason in $REASONS; do
		per_exit vmreads "$reason" "$name-1" "$name-2"; r=$got
		per_exit vmwrites "$reason" "$name-1" "$name-2"; w=$got
		check_run "$name-1" "$reason" "$3" "$r" "$w"
		check_run "$name-2" "$reason" "$3" "$r" "$w"
	done
}

check_counts trap "shadow=off" '2 * n + R + W'
check_counts shadow "shadow=on" '2 * n'
echo ok
