#!/bin/bash
# Run one exploration as JOBS shards in parallel on this machine and add
# up what they explored: what --shard I/N is for on a batch system, here on
# one machine's cores.  Usage:
#   scripts/explore-shards.sh JOBS SCENARIO --policy P --strategy S [explore options]
# A dfs:B search runs its whole tree unless --schedules says otherwise;
# random and pct:D need --schedules N (the shards share the N).
# Exit status: 0 when no shard found a failure, 1 when one did, 2 on error.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: $0 JOBS SCENARIO --policy P --strategy S [explore options]" >&2
	exit 2
fi
jobs=$1
shift
pinmm=./model/build/pinmm
[ -x "$pinmm" ] || make -s all
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s)
for ((i = 0; i < jobs; i++)); do
	"$pinmm" explore --schedules 0 "$@" --shard "$i/$jobs" >"$tmp/$i.out" 2>"$tmp/$i.err" &
done
status=0
for ((i = 0; i < jobs; i++)); do
	wait -n || { rc=$?; [ $rc -gt $status ] && status=$rc; }
done
end=$(date +%s)

total=0
for ((i = 0; i < jobs; i++)); do
	sed "s/^/shard $i: /" "$tmp/$i.out"
	grep -q . "$tmp/$i.err" && sed "s/^/shard $i: /" "$tmp/$i.err" >&2
	n=$(sed -n 's/.*: \([0-9]*\) schedules in .*/\1/p' "$tmp/$i.out")
	total=$((total + ${n:-0}))
done
complete=$(cat "$tmp"/*.out | grep -c "search complete" || true)
echo "all shards: $total schedules in $((end - start)) s;" \
	"$complete of $jobs shards ran their whole tree"
exit $status
