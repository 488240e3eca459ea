#!/usr/bin/env bash
# Adding a case is adding one file: in a copy of the tree, a new microbench/ file and
# no other edit make the case appear in the native runner and in the bench guest.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
tree=$RUNS/tree
mkdir -p "$tree"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$tree" 2>/dev/null
cat > "$tree/microbench/test_newcase.c" <<'CASE'
/* test.newcase - a case that exists only in this test's copy of the tree. */
#include "bench.h"

static void run(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--)
		asm volatile("nop");
}

static void control(void *s, uint64_t n)
{
	(void)s;
	for (; n; n--)
		asm volatile("");
}

BENCH_CASE(test_newcase) = {
	.name = "test.newcase", .metric = "nop", .run = run, .control = control,
};
CASE
make -C "$tree" -j2 build/host/bench build/l2-guests/bench.elf > "$RUNS/make.log" 2>&1 ||
	fail "the copy with one new case does not build: $(tail -n 5 "$RUNS/make.log")"
"$tree/build/host/bench" --bench=test.newcase --goal=100000 --reps=3 > "$RUNS/native.out" 2>&1 ||
	fail "native runner: $(tail -n 3 "$RUNS/native.out")"
cat "$RUNS/native.out"
check_records "$RUNS/native.out"
expect_record "$RUNS/native.out" 'case=test\.newcase params=- metric=nop unit=ticks clock=tsc platform=native '
boot_run guest qemu --timeout 60 "$tree/build/l2-guests/bench.elf" "bench=test.newcase reps=3 goal=100000"
expect_status 0
check_records "$RUNS/guest/serial.log"
expect_record "$RUNS/guest/serial.log" 'case=test\.newcase params=- metric=nop unit=ticks clock=tsc platform=qemu level=0 '
echo ok
