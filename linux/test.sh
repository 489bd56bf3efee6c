#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux/test.sh: build the kernels if needed (cached), run every scenario
# under every policy, check the expected table, and end with
# "N passed, N failed" (one per checked cell). Exit 0 only if all passed.
#
# First the rig's own unit tests (test_rig.py, no kernel). Then two
# kernels, from the same series:
#   the test build       $PINMM_OUT/results.json (default linux/out)
#   the debug build      $PINMM_OUT/debug/results.json: lockdep
#                        (PROVE_LOCKING), DEBUG_VM, DEBUG_ATOMIC_SLEEP;
#                        any report of theirs fails its cell
# Then make bench's kernel half once with tiny sizes (every figure printed
# under every policy; no time is judged). Last, checkpatch over the series
# must report no error.
# Extra arguments go to rig.sh (e.g. --scenario seed-bug).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${PINMM_OUT:-$HERE/out}

passed=0
failed=0
run_variant() {	# NAME OUTDIR DEBUG [rig args...]
	local name=$1 out=$2 debug=$3 log
	shift 3
	mkdir -p "$out"
	rm -f "$out/results.json"
	echo "== linux/test.sh: the $name build"
	if ! PINMM_OUT=$out PINMM_DEBUG=$debug "$HERE/rig.sh" \
		--json "$out/results.json" "$@" || [ ! -s "$out/results.json" ]; then
		echo "test.sh: the rig failed for the $name build"
		failed=$((failed + 1))
		return
	fi
	log=$(python3 "$HERE/check.py" "$out/results.json" \
		$([ "$debug" = 1 ] && echo --debug))
	printf '%s\n' "$log"
	set -- $(printf '%s\n' "$log" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	passed=$((passed + ${1:-0}))
	failed=$((failed + ${2:-1}))
}

echo "== linux/test.sh: the rig's judge, on consoles written by hand"
if python3 "$HERE/test_rig.py"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
run_variant test "$OUT" 0 "$@"
run_variant debug "$OUT/debug" 1 "$@"
echo "== linux/test.sh: make bench's kernel half, tiny sizes (no time is judged)"
if PINMM_OUT=$OUT "$HERE/bench.sh" --quick --json "$OUT/bench-quick.json" \
	>"$OUT/bench-quick.log" 2>&1 &&
   python3 "$HERE/bench.py" --check "$OUT/bench-quick.json"; then
	passed=$((passed + 1))
else
	tail -n 20 "$OUT/bench-quick.log"
	failed=$((failed + 1))
fi
echo "== linux/test.sh: checkpatch over the series (0 errors wanted)"
if "$HERE/checkpatch.sh"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
echo
echo "linux/test.sh: both builds: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
