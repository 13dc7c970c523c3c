#!/usr/bin/env bash
# Train one model: Training/train.sh vgg7|resnet20|resnet20-fixup [options]
# Creates Training/.venv if missing; resumes from Training/checkpoints/<model>/ if present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/venv.sh"
cd "$here"
exec "$PY" -u -m backmap_train.train "$@"
