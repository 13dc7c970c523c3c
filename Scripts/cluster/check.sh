#!/usr/bin/env bash
# Checks the cluster paths on this machine: one run over 0..<4, the same range as 2 shards with
# GNU parallel, and (when `sinfo` answers, e.g. a single-node Slurm from Debian's slurm-wlm) as
# a 2-task Slurm array with its dependent merge. The merged statistics must equal the one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
backmap=${BACKMAP:-.build/release/backmap}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$backmap" verify --model vgg7 --images '0..<4' --quiet --out "$work/one.json" >/dev/null
same() {  # the statistics of two result files, ignoring provenance and target
    python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
keys = ["model", "precision", "images", "imageRanges", "settings", "layers"]
sys.exit(0 if all(a[k] == b[k] for k in keys) else 1)
PY
}
RESULTS="$work/parallel" BACKMAP="$backmap" Scripts/cluster/parallel-run.sh vgg7 float '0..<4' 2 >/dev/null 2>&1
same "$work/one.json" "$work/parallel/vgg7-float.json" && echo "GNU parallel: merged shards equal one run"
if command -v sinfo >/dev/null 2>&1 && sinfo >/dev/null 2>&1; then
    RESULTS="$work/slurm" BACKMAP="$backmap" Scripts/cluster/slurm-submit.sh vgg7 float '0..<4' 2
    for _ in $(seq 1 300); do
        [ -f "$work/slurm/vgg7-float.json" ] && [ -z "$(squeue -h -n merge-vgg7-float)" ] && break
        sleep 1
    done
    same "$work/one.json" "$work/slurm/vgg7-float.json" && echo "Slurm: merged array tasks equal one run"
else
    echo "Slurm: no cluster answers sinfo here; skipped"
fi
