#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# spin/run.sh: model-check spin/pinning.pml with Spin and compare every
# result with the one the design predicts.  Each check runs pan in its own
# directory under a temporary one; checks that need the same verifier (same
# spin and cc defines) share one build, so the source folder stays clean and
# nothing is compiled twice.  One line per check, then "N passed, N failed"
# and the time taken; exit 0 only if every check passed.  See spin/README.md
# for what each check means.
#
#   spin/run.sh            all checks
#   KEEP=1 spin/run.sh     keep the temporary directory (trails, pan output)

set -u

here=$(cd "$(dirname "$0")" && pwd)
model=$here/pinning.pml
start=$(date +%s%N)

if ! command -v spin >/dev/null 2>&1; then
	echo "spin: installing the Debian package"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spin; } >/dev/null 2>&1 ||
		{ echo "spin: could not install spin"; echo "0 passed, 1 failed"; exit 1; }
fi
for tool in spin gcc md5sum; do
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

passed=0 failed=0 peak_mb=0

# verify NAME "SPIN_DEFINES" "CC_DEFINES" "PAN_OPTIONS": runs pan in
# $work/NAME, building it first unless a check with the same defines did;
# leaves $dir, $out (pan's output) and $defs for the checks.
verify() {
	local ccdefs=$3 panopts=$4 build
	name=$1 defs=$2
	build=$work/build/$(echo "$defs|$ccdefs" | md5sum | cut -c1-12)
	if [ ! -x "$build/pan" ]; then
		mkdir -p "$build"
		cp "$model" "$build/pinning.pml"
		(
			cd "$build" &&
			spin -a $defs pinning.pml >spin-a.out 2>&1 &&
			gcc -O0 -w $ccdefs -o pan pan.c >cc.out 2>&1
		)
	fi
	dir=$work/$name
	mkdir -p "$dir"
	cp "$model" "$dir/pinning.pml"
	out=$dir/pan.out
	(cd "$dir" && "$build/pan" $panopts >pan.out 2>&1)
	: # pan's exit status says nothing we need: its output is read below
	local mb
	mb=$(grep -m1 'total actual memory usage' "$out" | awk '{printf "%d", $1}')
	[ -n "$mb" ] && [ "$mb" -gt "$peak_mb" ] && peak_mb=$mb
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

# expect_assert NAME WHAT ASSERTION [PATTERN...]: pan finds the assertion
# violated, the trail replays to it (spin -t), and the replay's output has
# every PATTERN (an extended regular expression) in it
expect_assert() {
	local name=$1 what=$2 assertion=$3 steps pattern
	shift 3
	if [ "$(errors)" != 0 ] && grep -q 'assertion violated' "$out" && replay &&
	   grep -qF "text of failed assertion: $assertion" "$dir/trail.out"; then
		for pattern in "$@"; do
			if ! grep -qE "$pattern" "$dir/trail.out"; then
				bad "$name" "the trail does not show /$pattern/: $what"
				return
			fi
		done
		steps=$(grep -o 'trail ends after [0-9]* steps' "$dir/trail.out" | awk '{print $4}')
		ok "$name" "$what; the ${steps}-step trail replays to $assertion"
	else
		bad "$name" "expected $assertion violated and a trail that replays to it: $what"
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

BUG="assert(pg_private)"
NOBUF='(writepage|mpage_prepare_extent_to_map)\(WB_SYNC_ALL=[01]\): dirty page, buffers 0'
PROMISE="assert((!(owed_mem)&&!(owed_io)))"
UNSTABLE_IO="assert((copy||!(dma)))"
UNSTABLE_PIN="assert(!(wb_inplace))"
LONGTERM_PIN="assert(!(1))"

# ---- BUFFERS: writeback never meets a dirty page without buffers ----------
# -E: the assertion alone (deadlocks are the deadlock-* checks below)

verify buffers-vanilla "-DDESIGN=VANILLA" "$BFS" "-E -w20"
expect_assert buffers-vanilla "vanilla reaches the dirty page without buffers at writepage" "$BUG" "$NOBUF"

for r in 0 1 2; do
	verify buffers-seed-release$r "-DDESIGN=SEED -DRELEASE=$r" "$SAFE" "-E $DEPTH"
	expect_clean buffers-seed-release$r "seed (release form $r) never hands writepage a page without buffers"
done

verify buffers-seed-gup-window "-DDESIGN=SEED -DGUP_WINDOW=1" "$BFS" "-E -w20"
expect_assert buffers-seed-gup-window "seed, pinned at the end of gup after the reference: reclaim drops the buffers in between" "$BUG" "$NOBUF"

verify buffers-seed-pin-needs-isolate "-DDESIGN=SEED -DPIN_NEEDS_ISOLATE=1" "$BFS" "-E -w20"
expect_assert buffers-seed-pin-needs-isolate "seed, a page reclaim holds isolated is left unpinned" "$BUG" "$NOBUF" \
	"gup: page isolated by reclaim, left unpinned"

# which of the seed's reclaim-side changes keep the BUG away (ablations)

verify buffers-seed-no-ttu "-DDESIGN=SEED -DSEED_TTU=0" "$SAFE" "-E $DEPTH"
expect_clean buffers-seed-no-ttu "seed without try_to_unmap's refusal: keeping pinned pages off the LRU suffices"

verify buffers-seed-no-lru "-DDESIGN=SEED -DSEED_LRU=0" "$SAFE" "-E $DEPTH"
expect_clean buffers-seed-no-lru "seed with pinned pages left on the LRU: try_to_unmap's refusal suffices"

verify buffers-seed-neither "-DDESIGN=SEED -DSEED_TTU=0 -DSEED_LRU=0" "$BFS" "-E -w20"
expect_assert buffers-seed-neither "seed with neither (writeback's skip/wait alone): the BUG is back" "$BUG" "$NOBUF"

verify buffers-upstream "-DDESIGN=UPSTREAM" "$SAFE" "-E $DEPTH"
expect_clean buffers-upstream "upstream: reclaim keeps pinned pages and their buffers, so ext4 never warns"

verify buffers-upstream-pre-6.4 "-DDESIGN=UPSTREAM -DRECLAIM_PIN_CHECK=0" "$BFS" "-E -w20"
expect_assert buffers-upstream-pre-6.4 "upstream without reclaim's 6.4 pin check: reclaim drops the pinned page's buffers, ext4 warns and drops the page" \
	"$BUG" "$NOBUF" "reclaim: drop_buffers"

verify buffers-bounce "-DDESIGN=BOUNCE" "$SAFE" "-E $DEPTH"
expect_clean buffers-bounce "bounce: reclaim keeps pinned pages and their buffers, so ext4 never warns"

# ---- PROMISE: when fsync returns, what was stored or released before it is on the disk

verify promise-vanilla "-DDESIGN=VANILLA -DPROP=PROMISE" "$SAFE" "-E $DEPTH"
expect_clean promise-vanilla "vanilla keeps fsync's promise whenever fsync returns"

verify promise-seed "-DDESIGN=SEED -DPROP=PROMISE" "$BFS" "-E -w20"
expect_assert promise-seed "seed: cleaning writeback skipped the PTE and cleaned the page, a store through the writable PTE leaves it clean, fsync writes nothing" \
	"$PROMISE" "page_mkclean: pinned page skipped, PTE left writable" "user: store through the writable PTE \(page dirty 0\)" \
	"fsync: called; owes data in the page 1, in an I/O 0; page tagged dirty 0"

verify promise-upstream "-DDESIGN=UPSTREAM -DPROP=PROMISE" "$SAFE" "-E $DEPTH"
expect_clean promise-upstream "upstream keeps fsync's promise"

verify promise-upstream-pre-6.4 "-DDESIGN=UPSTREAM -DRECLAIM_PIN_CHECK=0 -DPROP=PROMISE" "$BFS" "-E -w20"
expect_assert promise-upstream-pre-6.4 "upstream without reclaim's 6.4 pin check: the device's data is dropped by ext4's warning" \
	"$PROMISE" "$NOBUF" "reclaim: drop_buffers"

verify promise-bounce "-DDESIGN=BOUNCE -DPROP=PROMISE" "$SAFE" "-E $DEPTH"
expect_clean promise-bounce "bounce keeps fsync's promise"

verify promise-bounce-no-copy "-DDESIGN=BOUNCE -DBOUNCE_NO_COPY=1 -DPROP=PROMISE" "$BFS" "-E -w20"
expect_assert promise-bounce-no-copy "bounce whose fsync leaves a pinned page dirty instead of copying it: the promise is broken" \
	"$PROMISE" "mpage_prepare_extent_to_map\(WB_SYNC_ALL=1\): pinned, left dirty"

verify promise-bounce-fixed "-DDESIGN=BOUNCE -DSTABLE_WRITES=1 -DBOUNCE_SKIP_AFTER_MKCLEAN=1 -DPROP=PROMISE" "$SAFE" "-E $DEPTH"
expect_clean promise-bounce-fixed "bounce with the pin check after folio_mkclean and stable pages keeps fsync's promise"

# ---- STABLE: no write I/O reads the page while DMA may be changing it -------

for d in vanilla seed; do
	verify stable-$d "-DDESIGN=${d^^} -DPROP=STABLE" "$BFS" "-E -w20"
	expect_assert stable-$d "$d: cleaning writeback writes the page the device holds" "$UNSTABLE_IO" \
		"device: gup done" "writepage\(WB_SYNC_ALL=0\): dirty page, buffers 1"
done

verify stable-upstream "-DDESIGN=UPSTREAM -DPROP=STABLE" "$BFS" "-E -w20"
expect_assert stable-upstream "upstream: cleaning writeback writes the page the device holds" "$UNSTABLE_IO" \
	"device: gup done" "ext4_bio_write_folio\(WB_SYNC_ALL=0\): buffers dirty 1, pinned 1"

verify stable-bounce "-DDESIGN=BOUNCE -DPROP=STABLE" "$BFS" "-E -w20"
expect_assert stable-bounce "bounce: the pin lands between ext4's check and folio_clear_dirty_for_io_mode's, which leaves the PTE writable, and ext4 writes the page" \
	"$UNSTABLE_IO" "folio_clear_dirty_for_io_mode: pinned now"

verify stable-bounce-stable-writes "-DDESIGN=BOUNCE -DSTABLE_WRITES=1 -DPROP=STABLE" "$BFS" "-E -w20"
expect_assert stable-bounce-stable-writes "bounce on a device that needs stable pages: the same window" \
	"$UNSTABLE_IO" "folio_clear_dirty_for_io_mode: pinned now"

verify stable-bounce-skip-after-mkclean "-DDESIGN=BOUNCE -DBOUNCE_SKIP_AFTER_MKCLEAN=1 -DPROP=STABLE" "$BFS" "-E -w20"
expect_assert stable-bounce-skip-after-mkclean "bounce checking after folio_mkclean: gup's write fault does not wait for the write in flight" \
	"$UNSTABLE_PIN" "I/O: starts \(from a stable copy 0; DMA may be writing the page 0\)"

verify stable-bounce-fixed "-DDESIGN=BOUNCE -DSTABLE_WRITES=1 -DBOUNCE_SKIP_AFTER_MKCLEAN=1 -DPROP=STABLE" "$SAFE" "-E $DEPTH"
expect_clean stable-bounce-fixed "bounce with the pin check after folio_mkclean, on a device that needs stable pages: DMA never changes a page under its write"

# ---- NO_LONGTERM: no long-term writable pin of the ext4 mapping -------------

verify no-longterm-upstream "-DDESIGN=UPSTREAM -DLONGTERM=1 -DPROP=NO_LONGTERM" "$SAFE" "-E $DEPTH"
expect_clean no-longterm-upstream "upstream refuses FOLL_LONGTERM|FOLL_WRITE on the ext4 mapping"

for d in vanilla seed bounce; do
	verify no-longterm-$d "-DDESIGN=${d^^} -DLONGTERM=1 -DPROP=NO_LONGTERM" "$BFS" "-E -w20"
	expect_assert no-longterm-$d "$d allows the long-term writable pin" "$LONGTERM_PIN"
done

# ---- deadlock: invalid end states (every task blocked) ------------------------
# -A: the BUG_ON is ignored here so that vanilla's search goes on past it

verify deadlock-vanilla "-DDESIGN=VANILLA" "$SAFE" "-A $DEPTH"
expect_clean deadlock-vanilla "vanilla never deadlocks"

verify deadlock-seed "-DDESIGN=SEED -DRELEASE=0" "$BFS" "-A -w20"
expect_stuck deadlock-seed "seed + set_page_dirty_lock: writeback waits for the unpin under the page lock, the release waits for the page lock" \
	"invalid end state" "flusher|fsync" "$wait_line" device "$lock_line"

verify deadlock-upstream "-DDESIGN=UPSTREAM" "$SAFE" "-A $DEPTH"
expect_clean deadlock-upstream "upstream never deadlocks"

verify deadlock-bounce "-DDESIGN=BOUNCE" "$SAFE" "-A $DEPTH"
expect_clean deadlock-bounce "bounce never deadlocks"

# ---- LTL -------------------------------------------------------------------
# L1 fsync_waits_for_unpin: [] ((fsync_cleaning && held) -> (!fsync_done W !held))

verify L1-vanilla "-DLIVE=1 -DDESIGN=VANILLA" "" "$LTL -N fsync_waits_for_unpin"
expect_ltl_fails L1-vanilla "vanilla: fsync writes the page and returns while the device still holds it"

verify L1-seed "-DLIVE=1 -DDESIGN=SEED" "" "$LTL -N fsync_waits_for_unpin"
expect_clean L1-seed "seed: fsync does not return before the unpin"

verify L1-seed-longterm "-DLIVE=1 -DDESIGN=SEED -DLONGTERM=1" "" "$LTL -N fsync_waits_for_unpin"
expect_clean L1-seed-longterm "seed, long-term pin: fsync does not return while the pin is held"

verify L1-seed-no-ttu "-DLIVE=1 -DDESIGN=SEED -DSEED_TTU=0" "" "$LTL -N fsync_waits_for_unpin"
expect_ltl_fails L1-seed-no-ttu "seed without try_to_unmap's refusal: reclaim unmaps the pinned page, page_mkclean returns early, fsync does not wait"

verify L1-upstream "-DLIVE=1 -DDESIGN=UPSTREAM" "" "$LTL -N fsync_waits_for_unpin"
expect_ltl_fails L1-upstream "upstream: fsync writes the page and returns while the device still holds it"

verify L1-bounce "-DLIVE=1 -DDESIGN=BOUNCE" "" "$LTL -N fsync_waits_for_unpin"
expect_ltl_fails L1-bounce "bounce: fsync writes a stable copy and returns while the device still holds the page"

verify L1-bounce-longterm "-DLIVE=1 -DDESIGN=BOUNCE -DLONGTERM=1" "" "$LTL -N fsync_waits_for_unpin"
expect_ltl_fails L1-bounce-longterm "bounce, long-term pin: fsync returns while the pin is held (so L2-bounce-longterm is not vacuous)"

# L2 fsync_returns: [] (fsync_cleaning -> <> fsync_done), under weak fairness

verify L2-seed-longterm "-DLIVE=1 -DDESIGN=SEED -DLONGTERM=1" "" "$LTL -N fsync_returns"
expect_stuck L2-seed-longterm "seed, long-term pin: fsync waits in page_mkclean for as long as the pin is held" \
	"acceptance cycle" fsync "$wait_line"

verify L2-vanilla-longterm "-DLIVE=1 -DDESIGN=VANILLA -DLONGTERM=1" "" "$LTL -N fsync_returns"
expect_clean L2-vanilla-longterm "vanilla, long-term pin: fsync returns (fairly scheduled)"

verify L2-vanilla-unfair "-DLIVE=1 -DDESIGN=VANILLA -DLONGTERM=1" "" "-a -A -m200000 -w20 -N fsync_returns"
expect_ltl_fails L2-vanilla-unfair "without -f, a schedule that never runs fsync is a counterexample: why -f"

verify L2-seed-release0 "-DLIVE=1 -DDESIGN=SEED -DRELEASE=0" "" "$LTL -N fsync_returns"
expect_stuck L2-seed-release0 "seed + set_page_dirty_lock: fsync waits for the unpin, the release for fsync's page lock" \
	"acceptance cycle" fsync "$wait_line" device "$lock_line"

verify L2-seed-release1 "-DLIVE=1 -DDESIGN=SEED -DRELEASE=1" "" "$LTL -N fsync_returns"
expect_stuck L2-seed-release1 "seed + put_user_pages_dirty_lock: the page is dirtied between its check and its lock_page, same deadlock" \
	"acceptance cycle" fsync "$wait_line" device "$lock_line"

verify L2-seed-release2 "-DLIVE=1 -DDESIGN=SEED -DRELEASE=2" "" "$LTL -N fsync_returns"
expect_clean L2-seed-release2 "seed + a release that takes no page lock: fsync returns once the pin is dropped"

verify L2-upstream-held "-DLIVE=1 -DDESIGN=UPSTREAM -DLONGTERM=1 -DFOLL_LONGTERM=0" "" "$LTL -N fsync_returns"
expect_clean L2-upstream-held "upstream, a short-term pin never released: fsync returns while it is held"

verify L2-bounce "-DLIVE=1 -DDESIGN=BOUNCE" "" "$LTL -N fsync_returns"
expect_clean L2-bounce "bounce, a pin that is released: fsync returns"

verify L2-bounce-longterm "-DLIVE=1 -DDESIGN=BOUNCE -DLONGTERM=1" "" "$LTL -N fsync_returns"
expect_clean L2-bounce-longterm "bounce, long-term pin never released: fsync always returns while the pin is held"

ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$passed passed, $failed failed ($((ms / 1000)).$((ms % 1000 / 100)) s; largest pan ${peak_mb} MB)"
[ "$failed" = 0 ]
