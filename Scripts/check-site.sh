#!/usr/bin/env bash
# Browser checks for a built notebook site: every page in headless Chromium (through Selenium)
# at a desktop and a phone width, in the light and the dark theme. See Scripts/check-site.py
# for the list of checks; screenshots of every page go to OUT.
#
# Usage: Scripts/check-site.sh [SITE_DIR] [--out OUT] [--term WORD]... [--pages a.html,b.html]
#   SITE_DIR  the built site (default: Site)
#   OUT       where the screenshots go (default: .build-check/screenshots)
#
# Needs Debian's chromium, chromium-driver and python3-selenium (Scripts/setup.sh --browser
# installs them). axe-core comes from PyPI's axe-selenium-python, installed on first use into
# .build-check/venv (a virtual environment that also sees Debian's Selenium).
# Exits 0 when every check passed, 1 when one failed, 2 when a tool is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in chromium chromedriver; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check-site: '$tool' is missing; run: apt-get install -y chromium chromium-driver python3-selenium python3-venv" >&2
        exit 2
    fi
done
venv="$here/.build-check/venv"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv --system-site-packages "$venv" \
        || { echo "check-site: cannot create $venv (apt-get install -y python3-venv)" >&2; exit 2; }
fi
if ! "$venv/bin/python" -c "import axe_selenium_python, selenium" 2>/dev/null; then
    echo "check-site: installing axe-selenium-python into $venv" >&2
    "$venv/bin/pip" install --quiet axe-selenium-python \
        || { echo "check-site: pip could not install axe-selenium-python" >&2; exit 2; }
fi
exec "$venv/bin/python" "$here/Scripts/check-site.py" "$@"
