#!/usr/bin/env bash
# TensorFlow peer of `backmap bench` (VGG7, ResNet20): Training/peer-bench.sh [--model resnet20] [--image 0] [--threads 2] [--json] …
# Creates Training/.venv if missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/venv.sh"
cd "$here"
exec "$PY" -u -m backmap_train.peer_bench "$@"
