#!/usr/bin/env bash
# Verification as a Slurm job array, with the merge as a dependent job.
#
#   Scripts/cluster/slurm-submit.sh MODEL PRECISION 'A..<B' SHARDS [sbatch options…]
#
# Submits SHARDS array tasks (Scripts/cluster/verify-shard.sh, one shard each) and a merge job
# that runs after all of them succeed and writes $RESULTS/MODEL-PRECISION.json. Extra options go
# to both sbatch calls (e.g. --partition=cpu --time=02:00:00). Run from the repository root on a
# login node that shares the file system with the compute nodes; build first with
# `swift build -c release --product backmap`. A failed task is resubmitted with
# `sbatch --array=I …` (it resumes its shard), then the merge job is submitted again.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 MODEL PRECISION 'A..<B' SHARDS [sbatch options…]" >&2; exit 2; }
model=$1 precision=$2 images=$3 shards=$4
shift 4
backmap=${BACKMAP:-.build/release/backmap}
results=${RESULTS:-Results}
mkdir -p "$results/shards" "$results/logs"
array=$(sbatch --parsable "$@" --job-name="verify-$model-$precision" --array="0-$((shards - 1))" \
    --cpus-per-task="${CPUS_PER_TASK:-2}" --output="$results/logs/%x-%A_%a.log" \
    --export=ALL,RESULTS="$results" --wrap="Scripts/cluster/verify-shard.sh '$model' '$precision' '$images' $shards \$SLURM_ARRAY_TASK_ID")
files=$(for i in $(seq 0 $((shards - 1))); do printf '%s/shards/%s-%s-%dof%d.json ' "$results" "$model" "$precision" "$i" "$shards"; done)
merge=$(sbatch --parsable "$@" --job-name="merge-$model-$precision" --dependency="afterok:$array" \
    --output="$results/logs/%x-%j.log" \
    --wrap="$backmap merge $files --out $results/$model-$precision.json")
echo "submitted array job $array ($shards tasks) and merge job $merge"
