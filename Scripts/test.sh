#!/usr/bin/env bash
# The project's test command (README quick start, step 2; CI runs it too).
#
# 1. checks the system libraries (one line per missing Debian package, no compiler noise);
# 2. builds everything in release mode and fails on any warning in our own sources;
# 3. runs every Swift Testing suite;
# 4. with --browser: builds the course into Site/ and runs the browser checks on every page
#    (Scripts/check-site.sh; needs `bash Scripts/setup.sh --browser`; minutes of CPU).
set -euo pipefail
browser=false
[ "${1:-}" = "--browser" ] && browser=true
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash Scripts/setup.sh --check >/dev/null || { bash Scripts/setup.sh --check; exit 1; }

own_warnings() {
    # Warnings located in this repository's Sources/ or Tests/ (not in dependencies).
    grep -E "^$(pwd)/(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" "$1" | sort -u || true
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== swift build -c release"
if ! swift build -c release >"$log" 2>&1; then
    cat "$log"
    echo "release build failed"
    exit 1
fi
tail -n 1 "$log"
warnings=$(own_warnings "$log")
if [ -n "$warnings" ]; then
    echo "$warnings"
    echo "release build has warnings in the project's own code"
    exit 1
fi

echo "== swift test"
if ! swift build --build-tests >"$log" 2>&1; then
    cat "$log"
    echo "test build failed"
    exit 1
fi
tail -n 1 "$log"
warnings=$(own_warnings "$log")
if [ -n "$warnings" ]; then
    echo "$warnings"
    echo "debug build has warnings in the project's own code"
    exit 1
fi
swift test --skip-build --disable-xctest

if $browser; then
    echo "== browser checks"
    swift run notebook Notebooks/
    Scripts/check-site.sh Site --term Fixup --term "Eq. 16" --term "receptive field"
fi
