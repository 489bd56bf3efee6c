#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench-model.sh [--rounds N] [--policy P]... [--quick]
#                        [--json FILE] [--md FILE] [--plots DIR]
#
# The model's half of make bench: builds model/build/tests/bench_model and
# reports what each of the model's policies costs, every figure over its
# floor measured in the same process (scripts/bench-model.py says which).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -C model build/tests/bench_model
exec python3 scripts/bench-model.py model/build/tests/bench_model "$@"
