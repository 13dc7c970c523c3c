#!/usr/bin/env bash
# Opens a built notebook page in headless Chromium and checks that it really shows what the
# notebook produced: typeset math (KaTeX HTML, no katex-error), images and charts that load,
# tables, and KaTeX fonts served from the site itself (not from fonts installed system-wide).
#
# Usage: Scripts/check-site.sh [SITE_DIR] [PAGE] [SCREENSHOT]
#   SITE_DIR    the built site (default: Site)
#   PAGE        the page to open (default: example.html)
#   SCREENSHOT  where to write the screenshot (default: .build-notebooks/check/<page>.png)
#
# The site is served by `python3 -m http.server` on 127.0.0.1 so that every request and its
# status can be counted; the page is also opened from file:// to check relative paths.
# Needs chromium (apt-get install chromium) and python3. Exits non-zero on any failed check.
set -euo pipefail

site="${1:-Site}"
page="${2:-example.html}"
shot="${3:-.build-notebooks/check/${page%.html}.png}"

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser="$(command -v "$candidate")"; break; fi
done
if [[ -z "$browser" ]]; then
    echo "check-site: no Chromium found; install it with 'apt-get install -y chromium'" >&2
    exit 2
fi
python="/usr/bin/python3"
[[ -x "$python" ]] || python="$(command -v python3)"
if [[ ! -f "$site/$page" ]]; then
    echo "check-site: $site/$page does not exist; build the site first (swift run notebook)" >&2
    exit 2
fi

site_abs="$(cd "$site" && pwd)"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$python" -m http.server "$port" --bind 127.0.0.1 --directory "$site_abs" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do
    if "$python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then break; fi
    sleep 0.1
done

flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000)
url="http://127.0.0.1:$port/$page"
"$browser" "${flags[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/browser.log"
mkdir -p "$(dirname "$shot")"
"$browser" "${flags[@]}" --window-size=1200,2600 --screenshot="$shot" "$url" >>"$work/browser.log" 2>&1
"$browser" "${flags[@]}" --dump-dom "file://$site_abs/$page" >"$work/dom-file.html" 2>>"$work/browser.log"

failures=0
check() {  # check DESCRIPTION CONDITION-RESULT(0 = ok)
    if [[ "$2" == 0 ]]; then echo "  ok    $1"; else echo "  FAIL  $1"; failures=$((failures + 1)); fi
}
count() { { grep -o "$1" "$2" || true; } | wc -l | tr -d ' '; }

katex=$(count 'class="katex"' "$work/dom.html")
errors=$(count 'katex-error' "$work/dom.html")
images=$(count '<img ' "$work/dom.html")
tables=$(count '<table' "$work/dom.html")
figures=$(count '<figcaption' "$work/dom.html")
echo "check-site: $url"
echo "  $katex equations, $images images, $tables tables, $figures captions"
check "math is typeset (class=\"katex\" present)" "$([[ $katex -gt 0 ]]; echo $?)"
check "no KaTeX errors on the page" "$([[ $errors -eq 0 ]]; echo $?)"
check "no raw TeX delimiters left in the text" "$(grep -q '\$\$' "$work/dom.html"; [[ $? -ne 0 ]]; echo $?)"
check "images present" "$([[ $images -gt 0 ]]; echo $?)"
check "tables present" "$([[ $tables -gt 0 ]]; echo $?)"

# Every image the page shows must have been fetched with status 200.
missing=0
for src in $(grep -o '<img [^>]*src="[^"]*"' "$work/dom.html" | sed 's/.*src="\([^"]*\)"/\1/'); do
    if ! grep -q "\"GET /$src HTTP/1.1\" 200" "$work/server.log"; then
        echo "        image not loaded: $src"; missing=$((missing + 1))
    fi
done
check "every image loaded (HTTP 200)" "$([[ $missing -eq 0 ]]; echo $?)"
fonts=$(grep -c '\.woff2 HTTP/1.1" 200' "$work/server.log" || true)
check "KaTeX fonts loaded from the site ($fonts woff2 files)" "$([[ $fonts -gt 0 ]]; echo $?)"
notfound=$(grep -c '" 404 ' "$work/server.log" || true)
if [[ $notfound -gt 0 ]]; then grep '" 404 ' "$work/server.log" | sed 's/^/        /'; fi
check "no request answered 404" "$([[ $notfound -eq 0 ]]; echo $?)"
katex_file=$(count 'class="katex"' "$work/dom-file.html")
check "the page also works from file:// ($katex_file equations)" "$([[ $katex_file -eq $katex ]]; echo $?)"
check "screenshot written to $shot" "$([[ -s "$shot" ]]; echo $?)"

if [[ $failures -gt 0 ]]; then
    echo "check-site: $failures check(s) failed" >&2
    exit 1
fi
echo "check-site: all checks passed"
