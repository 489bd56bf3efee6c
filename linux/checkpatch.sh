#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux/checkpatch.sh: run the source's scripts/checkpatch.pl --no-tree on
# every patch of the series. Needs the tree that build.sh unpacked.
# The two warnings that remain are explained in README.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${PINMM_CACHE:-/var/cache/pinmm}
TREE=$(ls -d "$CACHE"/build/*/linux-source-6.12 2>/dev/null | head -n1)
[ -n "$TREE" ] || { echo "run linux/build.sh first" >&2; exit 1; }
errors=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	out=$("$TREE/scripts/checkpatch.pl" --no-tree -q "$HERE/patches/$p" || true)
	total=$(printf '%s\n' "$out" | sed -n 's/^total: //p')
	echo "$p: ${total:-0 errors, 0 warnings}"
	printf '%s\n' "$out" | grep -E '^(WARNING|ERROR)' | sed 's/^/    /' || true
	printf '%s\n' "$out" | grep -q '^ERROR' && errors=$((errors + 1))
done < "$HERE/patches/series"
exit $((errors > 0))
