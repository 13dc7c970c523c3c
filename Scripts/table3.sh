#!/usr/bin/env bash
# The paper's Table 3 at full scale: one resumable verification job per model and precision,
# each writing (and after every image atomically rewriting) Results/<model>-<precision>.json.
#
#   bash Scripts/table3.sh                 # run or resume every job, in the order below
#   bash Scripts/table3.sh vgg7:float      # only the named jobs
#
# Environment: BACKMAP (the backmap executable; default .build/release/backmap, built if
# missing), ENGINE_DIR (the checkout that executable was built from, for the commit recorded in
# the provenance; default this repository), NICE (default 19: the jobs use only idle CPU).
# A job that was interrupted (a killed session, a reboot) continues from its last finished
# image the next time this script runs. See docs/TABLE3.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=(
    "vgg7:double:0..<500"
    "vgg7:float:0..<9000"
    "resnet20:float:0..<2000"
    "resnet20:double:0..<500"
    "resnet20-fixup:float:0..<2000"
    "resnet20-fixup:double:0..<500"
)
backmap=${BACKMAP:-.build/release/backmap}
engine_dir=${ENGINE_DIR:-.}
if [ ! -x "$backmap" ]; then
    swift build -c release --product backmap
fi
commit=$(git -C "$engine_dir" rev-parse HEAD)
if [ -n "$(git -C "$engine_dir" status --porcelain --untracked-files=no -- Sources Package.swift)" ]; then
    commit="$commit-dirty"
fi
export BACKMAP_ENGINE_COMMIT=$commit

selected=("$@")
for job in "${jobs[@]}"; do
    IFS=: read -r model precision range <<<"$job"
    name="$model-$precision"
    if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " == *" $model:$precision "* ]]; then
        continue
    fi
    echo "== $name, images $range (engine $commit)"
    nice -n "${NICE:-19}" "$backmap" verify --model "$model" --precision "$precision" \
        --images "$range" --out "Results/$name.json" --resume
done
