#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux/rig.sh [--policy P]... [--scenario S]... [--json FILE] [--jobs N]
# linux/rig.sh --bench [bench.py's options]     (linux/bench.sh)
#
# Builds the kernel if needed (build.sh, cached; PINMM_DEBUG=1 for the
# lockdep build), the guest program and the kernel's own gup tests from
# the same tree, then boots the kernel once per (policy, scenario) with a
# fresh ext4 image, prints one line per cell and the table. Default:
# every policy, every scenario, JSON to $PINMM_OUT/results.json.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${PINMM_OUT:-$HERE/out}
mkdir -p "$OUT"

KERNEL=$("$HERE/build.sh" | tail -n1)
TREE=$(dirname "$KERNEL")
UAPI=$TREE/include/uapi/linux/pinmm_dma.h

# The guest init and scenarios: static, so that it runs as init.
GUEST=$OUT/pinmm-guest
srcs=("$HERE"/guest/*.c "$HERE"/guest/*.h)
stale=0
[ -x "$GUEST" ] || stale=1
for f in "${srcs[@]}" "$UAPI"; do
	[ "$f" -nt "$GUEST" ] && stale=1
done
if [ $stale = 1 ]; then
	gcc -static -O2 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
		-Werror -pthread -include "$UAPI" -o "$GUEST" "$HERE"/guest/*.c
fi

# gup_test and gup_longterm from the tree's selftests, without liburing.
# Compiled from their directory: gup_longterm names its "local tmpfile"
# after __FILE__, which must be relative to the working directory (the
# ext4 file system under test), not a path on the host.
ST=$OUT/selftests
MM=$TREE/tools/testing/selftests/mm
mkdir -p "$ST"
for t in gup_test gup_longterm; do
	if [ ! -x "$ST/$t" ] || [ "$MM/$t.c" -nt "$ST/$t" ] ||
	   [ "$TREE/mm/gup_test.h" -nt "$ST/$t" ]; then
		: > "$ST/local_config.h"
		(cd "$MM" && gcc -static -O2 -pthread -w -I"$ST" -I"$TREE" \
			-isystem "$TREE/tools/include/uapi" \
			-o "$ST/$t" "$t.c" vm_util.c)
	fi
done

# --bench (first): linux/bench.py instead of the rig (make bench).
if [ "${1:-}" = --bench ]; then
	shift
	exec python3 "$HERE/bench.py" --kernel "$KERNEL" --guest "$GUEST" \
		--selftests "$ST" --out "$OUT/bench" "$@"
fi
args=("$@")
have_json=0
for x in "$@"; do [ "$x" = --json ] && have_json=1; done
[ $have_json = 1 ] || args+=(--json "$OUT/results.json")
exec python3 "$HERE/rig.py" --kernel "$KERNEL" --guest "$GUEST" \
	--selftests "$ST" --out "$OUT" "${args[@]}"
