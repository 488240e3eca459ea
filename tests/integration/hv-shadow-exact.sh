#!/usr/bin/env bash
# paging=shadow, counted exactly under Bochs. From the hypervisor's hv.exits records
# of chaos case pte_escape with count=1 and count=65 (64 more CR3 loads, each
# followed by one hidden fault, its loop's next fetch; 128 more first reads of clean
# pages, and 128 more first writes of them, each a hidden fault that sets the
# guest's dirty flag, which the guest checks): a CR3 load is exactly one cr_access
# exit, a hidden fault exactly one exception_nmi exit; the cost of each in handler
# ticks is printed. And HC_WALK
# reports the one-dimensional walk of the shadow tables: walk.depth says 4
# references for 4 KiB and 2 MiB guest pages (shadowed by 4 KiB entries), no EPT.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
CHAOS=build/l2-guests/chaos.elf
for n in 1 65; do
	boot_run "count-$n" bochs --timeout 120 "$HV" "paging=shadow" "$CHAOS" "case=pte_escape count=$n"
	expect_status 5
	expect_line "^chaos: $n CR3 loads, then $((2 * n)) clean pages read and written"
	expect_line "^PASS pte-dirty: $((2 * n)) clean pages read, then written: accessed $((2 * n)), dirty $((2 * n)) "
	hv_sane
done
# exits RUN REASON FIELD: the FIELD (count, ticks) of RUN's hv.exits record for REASON.
exits() {
	grep -a -o -E "^@nb v=1 case=hv.exits reason=$2 .* $3=[0-9]+" "$RUNS/$1/serial.log" |
		sed -E "s/.* $3=//"
}
# delta REASON FIELD: how much more of FIELD count-65 has than count-1.
delta() {
	local a b
	a=$(exits count-1 "$1" "$2") b=$(exits count-65 "$1" "$2")
	if [ -z "$a" ] || [ -z "$b" ]; then echo "no hv.exits $2 for $1"; return; fi
	echo $((b - a))
}
loads=$(delta cr_access count) faults=$(delta exception_nmi count)
echo "64 more CR3 loads: $loads more cr_access exits," \
	"$(( $(delta cr_access ticks) / 64 )) handler ticks each"
echo "320 more hidden faults: $faults more exception_nmi exits," \
	"$(( $(delta exception_nmi ticks) / 320 )) handler ticks each"
[ "$loads" = 64 ] || fail "a CR3 load did not cost exactly one exit"
[ "$faults" = 320 ] || fail "a hidden fault did not cost exactly one exit"

boot_run walk bochs --timeout 120 "$HV" "paging=shadow" "$BENCH" "bench=walk.depth"
expect_status 0
hv_sane
check_records "$RUNS/walk/serial.log"
for p in 4K 2M; do
	expect_record "$RUNS/walk/serial.log" \
		"case=walk.depth params=page=$p .*guest_refs=4 .*ept_refs=0 ept_page_level=0 refs_walked=4 refs_formula=4"
done
echo ok
