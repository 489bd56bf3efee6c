#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux/test.sh: build the kernel if needed (cached), run every scenario
# under every policy, check the expected table, and end with
# "N passed, N failed" (one per checked cell). Exit 0 only if all passed.
# JSON: linux/out/results.json.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${PINMM_OUT:-$HERE/out}
mkdir -p "$OUT"
rm -f "$OUT/results.json"

"$HERE/rig.sh" --json "$OUT/results.json" "$@"
rc=$?
if [ $rc -ne 0 ] || [ ! -s "$OUT/results.json" ]; then
	echo "test.sh: the rig failed (exit $rc)"
	echo "0 passed, 1 failed"
	exit 1
fi
exec python3 "$HERE/check.py" "$OUT/results.json"
