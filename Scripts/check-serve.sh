#!/usr/bin/env bash
# Browser check of `notebook serve` (Scripts/check-serve.py): the explorer loads and a click on a
# unit updates the pictures and the table; the preview reloads after an edit; the error overlay
# appears for a broken block and goes when it is fixed.
#
# Usage: Scripts/check-serve.sh [--out DIR] [--port N]
# Needs Debian's chromium, chromium-driver and python3-selenium (Scripts/setup.sh --browser).
# Runs the notebook runner, so it holds /tmp/notebook-runner.lock while it runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
for tool in chromium chromedriver; do
    command -v "$tool" >/dev/null 2>&1 || { echo "check-serve: '$tool' is missing (apt-get install -y chromium chromium-driver)" >&2; exit 2; }
done
python=python3
[[ -x .build-check/venv/bin/python ]] && python=.build-check/venv/bin/python
swift build -c release --scratch-path .build-serve --product notebook 2>&1 | tail -1
exec flock /tmp/notebook-runner.lock "$python" Scripts/check-serve.py "$@"
