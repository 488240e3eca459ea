#!/usr/bin/env bash
# Provenance, in a scratch clone of this tree with a copy of its build: scripts/bench
# refuses binaries built from another revision (--no-build after a new commit), and
# refuses to run when the tree does not build; otherwise it builds first, and a dirty
# tree's run says "-dirty" in its context and in every record of its CSV.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
t=$RUNS/tree
{ git clone -q --no-checkout . "$t" && git -C "$t" checkout -q --detach HEAD; } || fail "cannot clone the tree"
# The clone starts as this worktree is, uncommitted changes included.
git diff HEAD --binary | git -C "$t" apply --allow-empty || fail "cannot carry the uncommitted changes over"
mkdir "$t/build"
for f in build/*; do
	case "$f" in build/test-runs|build/test-logs|build/runs) ;; *) cp -a "$f" "$t/build/" ;; esac
done
# One time stamp, later than the clone's sources: make sees the copy as up to date.
stamp=$(date +%s.%N)
find "$t/build" -exec touch -h -d "@$stamp" {} +
g() { git -C "$t" -c user.name=test -c user.email=test@invalid "$@"; }
run() { local name=$1; shift; rc=0; (cd "$t" && scripts/bench --no-figures "$@" --out "../$name") > "$RUNS/$name.out" 2>&1 || rc=$?; cat "$RUNS/$name.out"; }
slice=(--platform native --case vmexit.cpuid --reps 1)

# A new commit: the copied binaries carry the revision before it.
g commit -q --allow-empty -m "a newer revision"
run stale --no-build "${slice[@]}"
{ [ $rc = 2 ] && grep -q "was not built from this tree (revision $(g rev-parse --short=12 HEAD)" "$RUNS/stale.out"; } ||
	fail "--no-build with binaries of another revision: status $rc"
[ ! -e "$RUNS/stale" ] || fail "a refused run made its folder"

# A tree that does not build.
echo "#error not a valid tree" >> "$t/host/bench.c"
run broken "${slice[@]}"
{ [ $rc = 2 ] && grep -q "the build failed" "$RUNS/broken.out" && grep -q "not a valid tree" "$RUNS/broken.out"; } ||
	fail "a tree that does not build: status $rc"
[ ! -e "$RUNS/broken" ] || fail "a run of a broken build made its folder"
g checkout -q host/bench.c

# A dirty tree: built, then run; context and records say the same dirty revision.
echo "a local change" >> "$t/README.md"
want="$(g rev-parse --short=12 HEAD)-dirty"
run dirty "${slice[@]}"
[ $rc = 0 ] || fail "a run of a dirty tree: status $rc"
[ "$(sed -n 's/^git: //p' "$RUNS/dirty/context")" = "$want" ] || fail "context: $(grep '^git:' "$RUNS/dirty/context"), want $want"
[ "$(build/host/collect distinct "$RUNS/dirty/results.csv" --col git)" = "$want" ] ||
	fail "records' git=: $(build/host/collect distinct "$RUNS/dirty/results.csv" --col git), want $want"
echo ok
