#!/usr/bin/env bash
# Verification shards with GNU parallel, on this machine or on SSH hosts, then the merge.
#
#   Scripts/cluster/parallel-run.sh MODEL PRECISION 'A..<B' SHARDS [parallel options…]
#
# Without options the shards run here, one at a time per core pair (--jobs, default 1: each
# backmap already uses every core). With `--sshloginfile hosts.txt` they run on those hosts,
# which must have this repository built at the same path (a shared file system, or pass
# `--return` and `--workdir` as GNU parallel documents); the result files come back to
# $RESULTS/shards/ and are merged into $RESULTS/MODEL-PRECISION.json ($RESULTS defaults to
# Results). A shard that failed resumes
# when the same command runs again.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 MODEL PRECISION 'A..<B' SHARDS [parallel options…]" >&2; exit 2; }
model=$1 precision=$2 images=$3 shards=$4
shift 4
here=$(pwd)
backmap=${BACKMAP:-.build/release/backmap}
results=${RESULTS:-Results}
mkdir -p "$results/shards"
seq 0 $((shards - 1)) | parallel --jobs "${JOBS:-1}" --halt soon,fail=1 "$@" \
    "cd '$here' && RESULTS='$results' BACKMAP='$backmap' Scripts/cluster/verify-shard.sh '$model' '$precision' '$images' $shards {}"
files=()
for i in $(seq 0 $((shards - 1))); do files+=("$results/shards/$model-$precision-${i}of$shards.json"); done
"$backmap" merge "${files[@]}" --out "$results/$model-$precision.json"
