#!/usr/bin/env bash
# kvmrun refuses bad input with a clear message and status 4 before it touches
# /dev/kvm, and says "/dev/kvm is not available here" with status 77 when the
# device is missing or is no KVM. Runs everywhere: nothing here needs KVM.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
KVMRUN=build/host/kvmrun
[ -x $KVMRUN ] || fail "$KVMRUN is not built (run make)"

# kvmrun_expect NAME WANT REGEX ARGS...: kvmrun ARGS exits WANT and prints a line
# matching REGEX (stdout and stderr together, in $RUNS/NAME.out).
kvmrun_expect() {
	local name=$1 want=$2 re=$3 rc=0
	shift 3
	$KVMRUN "$@" > "$RUNS/$name.out" 2>&1 < /dev/null || rc=$?
	echo "== $name: kvmrun $*: status $rc"
	cat "$RUNS/$name.out"
	[ "$rc" = "$want" ] || fail "$name: exit status $rc, want $want"
	grep -a -q -E -- "$re" "$RUNS/$name.out" || fail "$name: no line matching '$re'"
}

printf 'no ELF here\n' > "$RUNS/notelf.bin"
kvmrun_expect notelf 4 "^kvmrun: cannot load kernel '$RUNS/notelf.bin': not an ELF file$" \
	"$RUNS/notelf.bin"
# An ELF that is no multiboot kernel: a host program.
kvmrun_expect notmultiboot 4 \
	"^kvmrun: cannot load kernel 'build/host/pfmenc': not a multiboot kernel: no header in the first 8 KiB$" \
	build/host/pfmenc
kvmrun_expect missing 4 "^kvmrun: cannot open kernel '$RUNS/missing.elf': No such file or directory$" \
	"$RUNS/missing.elf" "echo=x"
kvmrun_expect nodev 77 \
	'^kvmrun: /dev/kvm is not available here \(open /nonexistent: No such file or directory\); skipping$' \
	--dev /nonexistent $SMOKE "echo=x"
# A device that exists but is no KVM: the API version check speaks up.
kvmrun_expect notkvm 77 '^kvmrun: /dev/kvm is not available here \(/dev/null: KVM_GET_API_VERSION failed: ' \
	--dev /dev/null $SMOKE
# Input is checked before the device: a bad kernel is status 4 even without KVM.
kvmrun_expect order 4 "not a multiboot kernel" --dev /nonexistent build/host/pfmenc
kvmrun_expect mem0 4 "^kvmrun: --mem takes a number from 2 to 3072, not '0'$" --mem 0 $SMOKE
kvmrun_expect membig 4 "^kvmrun: --mem takes a number from 2 to 3072, not '4096'$" --mem 4096 $SMOKE
head -c $((3 << 20)) /dev/zero > "$RUNS/big.mod"
kvmrun_expect nofit 4 "^kvmrun: cannot load kernel '$SMOKE': module 1 .* does not fit in guest RAM" \
	--mem 2 $SMOKE "" "$RUNS/big.mod" "x=1"
kvmrun_expect twoargs 4 "two argument strings for $SMOKE: 'a=1' and 'b=2'" $SMOKE "a=1" "b=2"
kvmrun_expect badopt 4 "^kvmrun: --nested takes on or off, not 'maybe'$" --nested maybe $SMOKE
kvmrun_expect timeout 4 "^kvmrun: --timeout takes a number" --timeout -1 $SMOKE
kvmrun_expect help 0 '^Usage: kvmrun ' --help

# Through the runner: a kernel kvmrun refuses is the platform's failure (125) with
# kvmrun's reason, and a missing /dev/kvm is a skip (77) with kvmrun's message.
boot_run notmultiboot kvm --timeout 30 build/host/pfmenc ""
expect_status 125
grep -a -q "kvmrun: cannot load kernel 'build/host/pfmenc': not a multiboot kernel" \
	"$RUNS/notmultiboot.out" || fail "scripts/boot did not pass on kvmrun's reason"
if [ ! -e /dev/kvm ]; then
	boot_run nodev kvm --timeout 30 $SMOKE "echo=x"
	expect_status 77
	grep -a -q '^kvmrun: /dev/kvm is not available here' "$RUNS/nodev.out" ||
		fail "scripts/boot did not pass on kvmrun's message"
fi
echo ok
