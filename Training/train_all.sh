#!/usr/bin/env bash
# Train (or resume) the three models one after another, at low priority:
#   nohup nice -n 19 Training/train_all.sh > /tmp/train-all.out 2>&1 &
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for m in vgg7 resnet20 resnet20-fixup; do
    "$here/train.sh" "$m"
done
