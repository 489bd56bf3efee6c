#!/bin/bash
# Run one exploration as N shards (--shard I/N) through GNU parallel and
# merge their summaries (pinmm merge): what a batch system does with
# shards, on this machine's cores or, with --sshlogin, on other hosts.
# Usage:
#   scripts/explore-shards.sh [-S SSHLOGIN]... [-N SHARDS] [-K DIR] JOBS \
#       SCENARIO --policy P --strategy S [explore options]
# JOBS shards run at once on each host; SHARDS (default JOBS) is how many
# the search is split into.  A dfs:B or dpor search runs its whole tree
# unless --schedules says otherwise; random and pct:D need --schedules N
# (the shards share the N).  With -S, every host needs pinmm at the same
# path (a shared file system, or the same checkout built there); the
# summaries and failing schedules come back here (--return).  With -K,
# each shard's summary is kept in DIR as shard-I.json (their end states,
# which the merged line only sums).
# Exit status: 0 when no shard found a failure, 1 when one did, 2 on error.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
usage() {
	echo "usage: $0 [-S SSHLOGIN]... [-N SHARDS] [-K DIR] JOBS SCENARIO --policy P --strategy S [explore options]" >&2
	exit 2
}
logins=()
shards=
keep=
while getopts S:N:K: opt; do
	case $opt in
	S) logins+=(--sshlogin "$OPTARG") ;;
	N) shards=$OPTARG ;;
	K) keep=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] && [[ $1 =~ ^[1-9][0-9]*$ ]] || usage
jobs=$1
shift
shards=${shards:-$jobs}
[[ $shards =~ ^[1-9][0-9]*$ ]] || usage
if [ -n "$keep" ] && ! [ -d "$keep" -a -w "$keep" ]; then
	echo "$0: -K $keep: not a writable directory" >&2
	exit 2
fi
command -v parallel >/dev/null || {
	echo "$0: GNU parallel is missing (scripts/install-deps.sh installs it)" >&2
	exit 2
}
pinmm=${PINMM:-$top/model/build/pinmm}
[ -x "$pinmm" ] || make -s -C "$top/model" all
# Summaries are written where the shard runs (here, or a remote login's
# home directory) and brought back (--return); failing schedules stay
# where they were found, named in the output.
tag=.pinmm-shards-$$
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$tag".*' EXIT

# A shard's exit status 1 (a failure found) is a result; above is an error.
status=0
parallel --will-cite -j "$jobs" ${logins[@]+"${logins[@]}"} \
	${logins[@]+--return "$tag.{}.json" --cleanup} \
	--results "$tmp/out" \
	"$pinmm explore --schedules 0 $(printf '%q ' "$@")--shard {}/$shards" \
	"--summary $tag.{}.json; [ \$? -le 1 ]" \
	::: $(seq 0 $((shards - 1))) >/dev/null || status=2
for ((i = 0; i < shards; i++)); do
	err=$(find "$tmp/out" -path "*/$i/stderr" 2>/dev/null | head -1)
	[ -n "$err" ] && [ -s "$err" ] && sed "s/^/shard $i: /" "$err" >&2
done
[ $status -eq 0 ] || exit 2
if [ -n "$keep" ]; then
	for ((i = 0; i < shards; i++)); do
		cp "$tag.$i.json" "$keep/shard-$i.json"
	done
fi
"$pinmm" merge "$tag".*.json
