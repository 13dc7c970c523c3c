#!/usr/bin/env bash
# Export the best checkpoint: Training/export.sh vgg7|resnet20|resnet20-fixup [--partial]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/venv.sh"
cd "$here"
exec "$PY" -u -m backmap_train.export "$@"
