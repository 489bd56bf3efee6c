#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux/bench.sh [--policy P]... [--rounds N] [--reps N] [--quick]
#                [--json FILE] [--md FILE] [--plots DIR]
#
# The kernel half of make bench: builds what is missing (as rig.sh does),
# then boots each policy in turn, round after round, and prints every
# figure as a ratio to its floor (linux/bench.py says which).
exec "$(dirname "${BASH_SOURCE[0]}")/rig.sh" --bench "$@"
