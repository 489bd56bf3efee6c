#!/bin/bash
# The main job: the 2018 crash under the 2018 kernel's behaviour, then the
# same workload under the seed's design, 50 runs each, and the contrast.
set -uo pipefail
cd "$(dirname "$0")/.."
pinmm=./pinmm
runs=${RUNS:-50}

echo "== seed-bug under vanilla (2018): one run, as the kernel would print it"
$pinmm run seed-bug --policy vanilla --seed 1
echo
echo "== seed-bug under seed (the 2018 patch): the same run"
$pinmm run seed-bug --policy seed --seed 1
echo

summary() {
	$pinmm run "$1" --policy "$2" --runs "$runs" --json |
		python3 -c '
import collections, json, sys
v = collections.Counter(); lost = 0; checked = 0; skipped = 0
for line in sys.stdin:
    r = json.loads(line)
    v[r["verdict"]] += 1
    if r["bytes_lost"] is not None:
        checked += 1
        lost += r["bytes_lost"]
    skipped += r["counters"]["mkclean_pinned_skipped"]
print(" ".join(f"{k} {n}" for k, n in sorted(v.items())),
      f"| bytes lost {lost} in {checked} checked runs | pinned pages skipped by writeback {skipped}")
'
}

echo "== the contrast, $runs runs each"
printf '%-10s %-8s %s\n' scenario policy result
for scenario in seed-bug baseline; do
	for policy in vanilla seed; do
		printf '%-10s %-8s %s\n' "$scenario" "$policy" "$(summary "$scenario" "$policy")"
	done
done
