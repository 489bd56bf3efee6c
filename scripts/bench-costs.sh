#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench-costs.sh [--quick]: what each design costs, both halves
# (make bench runs it after the exploration speed of scripts/bench.sh).
#
#   the model    scripts/bench-model.sh: every policy of the model's table
#   the kernel   linux/bench.sh: every pinmm.policy= of the UML kernel
#
# Each prints its table on stdout and writes, under $PINMM_BENCH_OUT
# (default docs/bench): model.{json,md}, kernel.{json,md} and the PNG
# plots. docs/bench.md reads them. Not a test: nothing asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${PINMM_BENCH_OUT:-docs/bench}
quick=()
case "${1:-}" in
--quick) quick=(--quick) ;;
'') ;;
*) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac
mkdir -p "$out"

echo "== what each design costs: the model"
scripts/bench-model.sh "${quick[@]}" --json "$out/model.json" \
	--md "$out/model.md" --plots "$out"
echo
echo "== what each design costs: Linux 6.12 under UML"
linux/bench.sh "${quick[@]}" --json "$out/kernel.json" \
	--md "$out/kernel.md" --plots "$out"
