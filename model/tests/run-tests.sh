#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every test binary of a build directory, then the command-line tests
# against that build's pinmm, and print one summary line:
#
#   N passed, N failed[, N skipped]
#
# Usage: tests/run-tests.sh BUILD_DIR    (from model/; make check does it)
#
# Exit status 0 only when every test passed or was skipped (cmocka's
# skip(), for a test that does not belong in this build).  A test binary
# that dies before cmocka's summary counts each of its tests that did not
# report OK or SKIPPED as failed (at least one).  In sanitizer builds (build-asan, build-tsan)
# the scenario tests make PINMM_TEST_RUNS runs per policy (default 10)
# instead of 50.

build=${1:?usage: $0 BUILD_DIR}
here=$(dirname "$0")
passed=0
failed=0
skipped=0

case $build in
*-asan|*-tsan)
	: "${PINMM_TEST_RUNS:=10}"
	export PINMM_TEST_RUNS
	;;
esac
# Sanitizer reports fail the binary that produced them.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0:exitcode=66}"

out=$(mktemp)
trap 'rm -f "$out"' EXIT

for t in "$build"/tests/test_*; do
	case $t in
	*.o | *.d) continue ;;
	esac
	[ -x "$t" ] || continue
	"$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	total=$(sed -n 's/^\[==========\] Running \([0-9]*\) test(s)\./\1/p' "$out" |
		awk '{ s += $1 } END { print s + 0 }')
	ok=$(grep -c '^\[       OK \]' "$out")
	# cmocka's skip(): a test that says why it does not run here.
	skip=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s), listed below:$/\1/p' "$out" |
		awk '{ s += $1 } END { print s + 0 }')
	skipped=$((skipped + skip))
	bad=$((total - ok - skip))
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		# Died or a sanitizer complained after the tests passed.
		echo "$(basename "$t"): exit status $rc"
		bad=1
		ok=$((ok > 0 ? ok - 1 : 0))
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
done

# The command line: the script prints "cli: N passed, N failed".
"$here/cli-tests.sh" "$build/pinmm" >"$out" 2>&1
rc=$?
cat "$out"
ok=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
bad=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
if [ -z "$ok" ]; then
	ok=0
	bad=1
elif [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
	bad=1
fi
passed=$((passed + ok))
failed=$((failed + bad))

# make bench's model half with tiny sizes: it runs and prints every
# figure (no time is judged, here or anywhere).
bench_ok=1
"$build/tests/bench_model" --quick >"$out" 2>&1 || bench_ok=0
for fig in 'pin+release, 1 a call, 1 thread' 'pin+release, 512 a call, 2 threads' \
	'get_user_pages+release' 'writeback of a dirtied mapping' \
	'page_mkclean, 8 mappings' 'peak RSS per GiB modelled' \
	'metadata per page'; do
	grep -qF "\"figure\": \"$fig" "$out" || {
		echo "bench_model --quick: no \"$fig\""
		bench_ok=0
	}
done
if [ $bench_ok = 1 ]; then
	echo "bench_model --quick: every figure printed"
	passed=$((passed + 1))
else
	cat "$out"
	failed=$((failed + 1))
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
