#!/bin/bash
# One exploration as a Slurm job array: array task I runs shard I of N
# (pinmm explore --shard I/N --summary), and a last job, started when the
# whole array has ended, merges the summaries (pinmm merge).  Submit it
# from a checkout built on a file system every node sees:
#
#   scripts/slurm-explore.sh SHARDS SCENARIO --policy P --strategy S [explore options]
#
# e.g. scripts/slurm-explore.sh 64 seed-bug-small --policy seed --strategy dpor
# Results go to slurm-explore-JOBID/: each shard's summary, output and
# failing schedules, and merged.txt.  Add sbatch options (partition,
# account, time) in SBATCH_OPTS.  This machine has no Slurm: the script is
# documented (README) but cannot be run here.
set -euo pipefail
if [ $# -lt 2 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: $0 SHARDS SCENARIO --policy P --strategy S [explore options]" >&2
	exit 2
fi
shards=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
pinmm=$top/model/build/pinmm
[ -x "$pinmm" ] || make -s -C "$top/model" all
args=$(printf '%q ' "$@")
out=$PWD/slurm-explore-$$
mkdir -p "$out"

# Exit status 1 is a failure found, a result: the array task succeeds.
array=$(sbatch --parsable ${SBATCH_OPTS:-} --array=0-$((shards - 1)) \
	--job-name=pinmm-explore --output="$out/%a.out" --chdir="$out" \
	--cpus-per-task=1 --wrap="$pinmm explore --schedules 0 $args \
--shard \$SLURM_ARRAY_TASK_ID/$shards --summary \$SLURM_ARRAY_TASK_ID.json; \
r=\$?; [ \$r -le 1 ]")
sbatch --parsable ${SBATCH_OPTS:-} --dependency=afterany:"$array" \
	--job-name=pinmm-merge --output="$out/merged.txt" --chdir="$out" \
	--wrap="$pinmm merge *.json" >/dev/null
echo "submitted: array $array ($shards shards); merged totals in $out/merged.txt"
