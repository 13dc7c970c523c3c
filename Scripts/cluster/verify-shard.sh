#!/usr/bin/env bash
# One shard of a verification job; what a Slurm array task or a GNU parallel job runs.
#
#   Scripts/cluster/verify-shard.sh MODEL PRECISION 'A..<B' SHARDS INDEX
#
# Writes $RESULTS/shards/MODEL-PRECISION-INDEXofSHARDS.json ($RESULTS defaults to Results),
# atomically after every image, and
# resumes it if it exists, so a preempted or failed task can simply be run again. Run it from the
# repository root (Slurm's default working directory is the one sbatch was called in).
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 MODEL PRECISION 'A..<B' SHARDS INDEX" >&2; exit 2; }
model=$1 precision=$2 images=$3 shards=$4 index=$5
backmap=${BACKMAP:-.build/release/backmap}
results=${RESULTS:-Results}
mkdir -p "$results/shards"
exec nice -n "${NICE:-0}" "$backmap" verify --model "$model" --precision "$precision" \
    --images "$images" --shard "$index/$shards" --resume --quiet \
    --out "$results/shards/$model-$precision-${index}of$shards.json"
