#!/usr/bin/env bash
# tests/run itself: a test counts as passed, failed or skipped as it should. It runs
# a copy of tests/run in a tree of its own under $RUNS, so nothing of the real build
# is moved: there the real test_loader and test_kvm_cpu find no smoke guest (they
# look for it beside their own binary) and must be reported as skips, not passes.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
tree=$RUNS/tree
for t in test_loader test_kvm_cpu test_fmt; do
	[ -x build/tests/unit/$t ] || skip "build/tests/unit/$t is not built (run make)"
done
mkdir -p "$tree/tests/integration" "$tree/build/tests/unit"
cp tests/run "$tree/tests/run"
cp build/tests/unit/test_loader build/tests/unit/test_kvm_cpu build/tests/unit/test_fmt \
	"$tree/build/tests/unit/"
# A cmocka binary that failed one test and skipped another fails.
cat > "$tree/build/tests/unit/test_failskip" <<'EOF'
#!/bin/sh
echo '[  FAILED  ] test_a'
echo '[  SKIPPED ] test_b'
exit 1
EOF
printf '#!/bin/sh\nexit %s\n' 0 > "$tree/tests/integration/ok.sh"
printf '#!/bin/sh\necho not here\nexit %s\n' 77 > "$tree/tests/integration/skipper.sh"
printf '#!/bin/sh\nexit %s\n' 3 > "$tree/tests/integration/broken.sh"
chmod +x "$tree/build/tests/unit/test_failskip" "$tree"/tests/integration/*.sh

"$tree/tests/run" -j 2 > "$RUNS/run.out" 2>&1
rc=$?
cat "$RUNS/run.out"
[ $rc = 1 ] || fail "tests/run: status $rc, want 1 (two tests fail)"
expect() { # expect VERDICT NAME
	grep -q -E "^$1 +$2 " "$RUNS/run.out" || fail "$2 is not reported as $1"
}
expect SKIP unit/test_loader
expect SKIP unit/test_kvm_cpu
expect PASS unit/test_fmt
expect FAIL unit/test_failskip
expect PASS ok
expect SKIP skipper
expect FAIL broken
grep -q -E '^SKIP +unit/test_loader .*skipped: cmocka skipped test_real_kernel$' "$RUNS/run.out" ||
	fail "the skip of test_loader does not name the skipped cmocka test"
grep -q -x '2 passed, 2 failed, 3 skipped' "$RUNS/run.out" || fail "wrong summary line"
echo ok
