# shellcheck shell=bash
# tests/integration/paper-nested.bash - sourced by the figure and paper tests of
# levels 2 and 3 (after lib.sh): a synthetic run with the jobs scripts/bench names
# for them, made from the reference run's logs, rewritten. Every figure of it is
# made up here and the tests compute what the PDF must show from its CSV.

# nested_log FACTOR LEVEL SHADOW: the reference's level-1 (ept=2m) exit round trips
# and handler statistics, as the bench guest and L1 would report them at LEVEL,
# each round trip FACTOR times longer; L0's hv.nested records (VMCS shadowing
# SHADOW: the VMCS accesses of L1's handler exit only without it).
nested_log() {
	local f=$1 lvl=$2 sh=$3 ref=results/reference/raw/bochs-l1-ept_2m/serial.log
	grep -a '^@nb v=1 case=vmexit\.' $ref | awk -v f="$f" -v l="$lvl" '{
		sub(/ level=1 /, " level=" l " ")
		for (i = 1; i <= NF; i++) if ($i ~ /^(median|min|max|p90)=/) {
			split($i, kv, "="); $i = sprintf("%s=%.2f", kv[1], kv[2] * f) }
		print }'
	# The handler statistics of the hypervisor that runs the guest, and L0's own of
	# the exits of its guest and of the guest at LEVEL, all for one reason: as in a
	# nested run, where a figure must tell them apart.
	local h
	h=$(grep -a '^@nb v=1 case=hv\.exits .* from_level=1' $ref)
	sed "s/ level=0 / level=$((lvl - 1)) /; s/from_level=1/from_level=$lvl/" <<<"$h"
	[ "$lvl" = 1 ] || { echo "$h"; echo "${h//from_level=1/from_level=$lvl}"; }
	# Per reason: L2's exits, and L0's exits for them by cause.
	local r n rd wr
	while read -r r n rd wr; do
		[ "$sh" = off ] || { rd=0; wr=0; }
		echo "@nb v=1 case=hv.nested reason=$r platform=bochs level=0" \
			"hv=ept:2m,levels:4,ad:off,vpid:on,pmu:off,trap_ud:off,nested:on,shadow:$sh,below:none" \
			"cpu=GenuineIntel-6-85-4 git=0123456789ab clock=instructions from_level=2" \
			"l2_exits=$n l0_exits=$((n + rd + wr + n + n / 10)) reflected=$n vmreads=$rd vmwrites=$wr" \
			"vmresumes=$n other=$((n / 10)) others=cr_access:$((n / 10)) l0_ticks=$((n * 900)) l1_ticks=$((n * 2000))"
	done <<-'END'
		cpuid 1000 2000 1000
		vmcall 1000 3000 1000
		io_instruction 2000 8000 2000
		msr_read 1000 2000 1000
	END
}

# nested_run DIR [l3]: the reference's jobs with the two level-2 jobs (shadowing on
# and off) and, with l3, the level-3 job, collected into DIR/results.csv.
nested_run() {
	local d=$1 j
	# The reference's Bochs jobs below level 2 (its own nested jobs, if any, are
	# replaced by the made-up ones).
	for j in results/reference/raw/bochs-l[01]*; do
		j=${j##*/}
		mkdir -p "$d/raw/$j"; cp "results/reference/raw/$j/serial.log" "$d/raw/$j/"
	done
	mkdir -p "$d/raw/native"; cp results/reference/raw/native/console.log "$d/raw/native/"
	mkdir -p "$d"/raw/bochs-l2-shadow_{on,off}
	nested_log 30 2 on > "$d/raw/bochs-l2-shadow_on/serial.log"
	nested_log 50 2 off > "$d/raw/bochs-l2-shadow_off/serial.log"
	if [ "${2:-}" = l3 ]; then
		mkdir -p "$d/raw/bochs-l3"
		nested_log 900 3 off | grep -v 'case=hv\.nested' > "$d/raw/bochs-l3/serial.log"
	fi
	cp results/reference/context "$d/context"
	echo complete > "$d/STATUS"
	build/host/collect csv -o "$d/results.csv" "$d"/raw/*/*.log || fail "collect csv ($d): status $?"
}
