#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux/rig.sh [--policy P]... [--scenario S]... [--json FILE] [--jobs N]
#
# Builds the kernel if needed (build.sh, cached) and the guest program,
# then boots the kernel once per (policy, scenario) with a fresh ext4
# image, prints one line per cell and the table. Default: every policy,
# every scenario, JSON to linux/out/results.json.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${PINMM_OUT:-$HERE/out}
mkdir -p "$OUT"

KERNEL=$("$HERE/build.sh" | tail -n1)
TREE=$(dirname "$KERNEL")

GUEST=$OUT/pinmm-guest
if [ ! -x "$GUEST" ] || [ "$HERE/guest/pinmm-guest.c" -nt "$GUEST" ] ||
   [ "$TREE/include/uapi/linux/pinmm_dma.h" -nt "$GUEST" ]; then
	gcc -static -O2 -Wall -Werror -pthread \
		-include "$TREE/include/uapi/linux/pinmm_dma.h" \
		-o "$GUEST" "$HERE/guest/pinmm-guest.c"
fi

args=("$@")
have_json=0
for x in "$@"; do [ "$x" = --json ] && have_json=1; done
[ $have_json = 1 ] || args+=(--json "$OUT/results.json")
exec python3 "$HERE/rig.py" --kernel "$KERNEL" --guest "$GUEST" \
	--out "$OUT" "${args[@]}"
