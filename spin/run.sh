#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# spin/run.sh: model-check spin/pinning.pml with Spin and compare every
# result with the one the design predicts.  Each check builds its own
# verifier (spin -a, gcc, pan) in a temporary directory, so the source folder
# stays clean.  One line per check, then "N passed, N failed"; exit 0 only
# if every check passed.  See spin/README.md for what each check means.
#
#   spin/run.sh            all checks
#   KEEP=1 spin/run.sh     keep the temporary directory (trails, pan output)

set -u

here=$(cd "$(dirname "$0")" && pwd)
model=$here/pinning.pml

if ! command -v spin >/dev/null 2>&1; then
	echo "spin: installing the Debian package"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spin; } >/dev/null 2>&1 ||
		{ echo "spin: could not install spin"; echo "0 passed, 1 failed"; exit 1; }
fi
for tool in spin gcc; do
	command -v $tool >/dev/null 2>&1 || { echo "spin: $tool missing"; echo "0 passed, 1 failed"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/pinmm-spin.XXXXXX")
if [ -n "${KEEP:-}" ]; then
	echo "spin: keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi

# The lines that a blocked task's trail ends on.
wait_line=$(grep -n '@wait_unpin' "$model" | head -1 | cut -d: -f1)
lock_line=$(grep -n '@lock_page' "$model" | head -1 | cut -d: -f1)

passed=0 failed=0

# verify NAME "SPIN_DEFINES" "CC_DEFINES" "PAN_OPTIONS": builds and runs pan in
# $work/NAME; leaves $dir, $out (pan's output) and $defs for the checks.
verify() {
	name=$1 defs=$2 ccdefs=$3 panopts=$4
	dir=$work/$name
	mkdir -p "$dir"
	cp "$model" "$dir/pinning.pml"
	out=$dir/pan.out
	(
		cd "$dir" &&
		spin -a $defs pinning.pml >spin-a.out 2>&1 &&
		gcc -O1 -w $ccdefs -o pan pan.c >cc.out 2>&1 &&
		./pan $panopts >pan.out 2>&1
	)
	: # pan's exit status says nothing we need: its output is read below
}

# replay: spin -t on the trail pan wrote, into $dir/trail.out
replay() {
	(cd "$dir" && spin $defs -t pinning.pml >trail.out 2>&1)
}

stats() {
	local states secs
	states=$(grep -m1 'states, stored' "$out" | awk '{print $1}')
	secs=$(grep -m1 'elapsed time' "$out" | awk '{print $4}')
	echo "${states:-?} states, ${secs:-?} s"
}

ok() { passed=$((passed + 1)); echo "PASS $1: $2 ($(stats))"; }
bad() {
	failed=$((failed + 1))
	echo "FAIL $1: $2 ($(if [ -n "${KEEP:-}" ]; then echo "see $dir"; else echo "KEEP=1 keeps the trail"; fi))"
}

errors() { grep -m1 -o 'errors: [0-9]*' "$out" | awk '{print $2}'; }

# no error, and the whole state space was explored
expect_clean() {
	local name=$1 what=$2
	if [ "$(errors)" = 0 ] && ! grep -q 'search depth too small' "$out" &&
	   ! grep -q 'Search not completed' "$out"; then
		ok "$name" "$what"
	else
		bad "$name" "expected no error and a complete search: $what"
	fi
}

# the BUG_ON at writepage is reached, and the trail replays to it
expect_bug() {
	local name=$1 what=$2 steps
	if [ "$(errors)" != 0 ] && grep -q 'assertion violated' "$out" && replay &&
	   grep -q 'text of failed assertion: assert(pg_private)' "$dir/trail.out" &&
	   grep -q 'writepage(WB_SYNC_ALL=[01]): dirty page, buffers 0' "$dir/trail.out"; then
		steps=$(grep -o 'trail ends after [0-9]* steps' "$dir/trail.out" | awk '{print $4}')
		ok "$name" "$what; the ${steps}-step trail replays to the writepage BUG_ON"
	else
		bad "$name" "expected the writepage BUG_ON and a trail that replays to it: $what"
	fi
}

# a trail (pan found an error of the given kind) whose final state has
# task $3 at line $4 and task $5 at line $6 (empty: not checked)
expect_stuck() {
	local name=$1 what=$2 kind=$3 t1=$4 l1=$5 t2=${6:-} l2=${7:-}
	if [ "$(errors)" != 0 ] && grep -q "$kind" "$out" && replay &&
	   grep -qE "proc +[0-9]+ \($t1:1\) pinning.pml:$l1 " "$dir/trail.out" &&
	   { [ -z "$t2" ] || grep -qE "proc +[0-9]+ \($t2:1\) pinning.pml:$l2 " "$dir/trail.out"; }; then
		ok "$name" "$what"
	else
		bad "$name" "expected $kind with $t1 stuck at line $l1${t2:+ and $t2 at line $l2}: $what"
	fi
}

# an LTL property fails, and the counterexample replays
expect_ltl_fails() {
	local name=$1 what=$2
	if [ "$(errors)" != 0 ] && grep -qE 'acceptance cycle|claim violated|end state in claim' "$out" &&
	   replay && grep -q 'processes created' "$dir/trail.out"; then
		ok "$name" "$what"
	else
		bad "$name" "expected a counterexample: $what"
	fi
}

SAFE="-DSAFETY"
BFS="-DSAFETY -DBFS"           # shortest trails for the violations
DEPTH="-m200000 -w20"
LTL="-a -f -A -m200000 -w20"    # acceptance cycles, weak fairness, asserts ignored

# ---- safety: the BUG_ON at writepage -----------------------------------------
# -E: the assertion alone (deadlocks are the deadlock-* checks below)

verify safety-vanilla "-DSEED=0" "$BFS" "-E -w20"
expect_bug safety-vanilla "vanilla reaches the dirty page without buffers at writepage"

for r in 0 1 2; do
	verify safety-seed-release$r "-DSEED=1 -DRELEASE=$r" "$SAFE" "-E $DEPTH"
	expect_clean safety-seed-release$r "seed (release form $r) never hands writepage a page without buffers"
done

verify safety-seed-gup-window "-DSEED=1 -DGUP_WINDOW=1" "$BFS" "-E -w20"
expect_bug safety-seed-gup-window "seed, pinned at the end of gup after the reference: reclaim drops the buffers in between"

verify safety-seed-pin-needs-isolate "-DSEED=1 -DPIN_NEEDS_ISOLATE=1" "$BFS" "-E -w20"
expect_bug safety-seed-pin-needs-isolate "seed, a page reclaim holds isolated is left unpinned"

# which of the seed's reclaim-side changes keep the BUG away (ablations)

verify safety-seed-no-ttu "-DSEED=1 -DSEED_TTU=0" "$SAFE" "-E $DEPTH"
expect_clean safety-seed-no-ttu "seed without try_to_unmap's refusal: keeping pinned pages off the LRU suffices"

verify safety-seed-no-lru "-DSEED=1 -DSEED_LRU=0" "$SAFE" "-E $DEPTH"
expect_clean safety-seed-no-lru "seed with pinned pages left on the LRU: try_to_unmap's refusal suffices"

verify safety-seed-neither "-DSEED=1 -DSEED_TTU=0 -DSEED_LRU=0" "$BFS" "-E -w20"
expect_bug safety-seed-neither "seed with neither (writeback's skip/wait alone): the BUG is back, so the safety checks have teeth"

# ---- deadlock: invalid end states (every task blocked) ------------------------
# -A: the BUG_ON is ignored here so that vanilla's search goes on past it

verify deadlock-vanilla "-DSEED=0" "$SAFE" "-A $DEPTH"
expect_clean deadlock-vanilla "vanilla never deadlocks"

verify deadlock-seed "-DSEED=1 -DRELEASE=0" "$BFS" "-A -w20"
expect_stuck deadlock-seed "seed + set_page_dirty_lock: writeback waits for the unpin under the page lock, the release waits for the page lock" \
	"invalid end state" "flusher|fsync" "$wait_line" device "$lock_line"

# ---- LTL -------------------------------------------------------------------
# L1 fsync_waits_for_unpin: [] ((fsync_cleaning && held) -> (!fsync_done W !held))

verify L1-vanilla "-DLIVE=1 -DSEED=0" "" "$LTL -N fsync_waits_for_unpin"
expect_ltl_fails L1-vanilla "vanilla: fsync writes the page and returns while the device still holds it"

verify L1-seed "-DLIVE=1 -DSEED=1" "" "$LTL -N fsync_waits_for_unpin"
expect_clean L1-seed "seed: fsync does not return before the unpin"

verify L1-seed-longterm "-DLIVE=1 -DSEED=1 -DLONGTERM=1" "" "$LTL -N fsync_waits_for_unpin"
expect_clean L1-seed-longterm "seed, long-term pin: fsync does not return while the pin is held"

verify L1-seed-no-ttu "-DLIVE=1 -DSEED=1 -DSEED_TTU=0" "" "$LTL -N fsync_waits_for_unpin"
expect_ltl_fails L1-seed-no-ttu "seed without try_to_unmap's refusal: reclaim unmaps the pinned page, page_mkclean returns early, fsync does not wait"

# L2 fsync_returns: [] (fsync_cleaning -> <> fsync_done), under weak fairness

verify L2-seed-longterm "-DLIVE=1 -DSEED=1 -DLONGTERM=1" "" "$LTL -N fsync_returns"
expect_stuck L2-seed-longterm "seed, long-term pin: fsync waits in page_mkclean for as long as the pin is held" \
	"acceptance cycle" fsync "$wait_line"

verify L2-vanilla-longterm "-DLIVE=1 -DSEED=0 -DLONGTERM=1" "" "$LTL -N fsync_returns"
expect_clean L2-vanilla-longterm "vanilla, long-term pin: fsync returns (fairly scheduled)"

verify L2-vanilla-unfair "-DLIVE=1 -DSEED=0 -DLONGTERM=1" "" "-a -A -m200000 -w20 -N fsync_returns"
expect_ltl_fails L2-vanilla-unfair "without -f, a schedule that never runs fsync is a counterexample: why -f"

verify L2-seed-release0 "-DLIVE=1 -DSEED=1 -DRELEASE=0" "" "$LTL -N fsync_returns"
expect_stuck L2-seed-release0 "seed + set_page_dirty_lock: fsync waits for the unpin, the release for fsync's page lock" \
	"acceptance cycle" fsync "$wait_line" device "$lock_line"

verify L2-seed-release1 "-DLIVE=1 -DSEED=1 -DRELEASE=1" "" "$LTL -N fsync_returns"
expect_stuck L2-seed-release1 "seed + put_user_pages_dirty_lock: the page is dirtied between its check and its lock_page, same deadlock" \
	"acceptance cycle" fsync "$wait_line" device "$lock_line"

verify L2-seed-release2 "-DLIVE=1 -DSEED=1 -DRELEASE=2" "" "$LTL -N fsync_returns"
expect_clean L2-seed-release2 "seed + a release that takes no page lock: fsync returns once the pin is dropped"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
