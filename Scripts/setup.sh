#!/usr/bin/env bash
# Installs what the project needs on Debian and locates the CIFAR-10 data.
#
#   bash Scripts/setup.sh            # check, install what is missing, locate data
#   bash Scripts/setup.sh --check    # only check; exit 1 with one line per missing thing
#   bash Scripts/setup.sh --browser  # also Chromium and Selenium for Scripts/check-site.sh
#
# Prints the CIFAR-10 folder it found on the last line ("CIFAR-10: <path>"). Idempotent: a
# second run on a ready machine installs nothing and takes about a second.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
check_only=false
[ "${1:-}" = "--check" ] || [ "${2:-}" = "--check" ] && check_only=true

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- the Swift toolchain (not a Debian package: it must already be on PATH) -------------------
if ! command -v swift >/dev/null 2>&1; then
    fail "no 'swift' on PATH. Install Swift 6.0 or newer for Debian from swift.org (or use the swift:6 container), then run this again."
fi
swift_version=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9]*\)\..*/\1/p' | head -n 1)
if [ -n "$swift_version" ] && [ "$swift_version" -lt 6 ]; then
    fail "Swift $swift_version found; this project needs Swift 6 or newer."
fi

# --- Debian packages: package name and a file that proves it is installed ---------------------
packages=(
    "pkg-config:/usr/bin/pkg-config"
    "libcmark-dev:/usr/include/cmark.h"
    "libpng-dev:/usr/include/png.h"
    "libopenblas-dev:/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h"
    "katex:/usr/share/nodejs/katex/package.json"
    "libjs-katex:/usr/share/javascript/katex/katex.min.css"
    "libjs-lunr:/usr/share/javascript/lunr/lunr.min.js"
)
# Browser checks (Scripts/check-site.sh) only, with --browser.
if [ "${1:-}" = "--browser" ] || [ "${2:-}" = "--browser" ]; then
    packages+=(
        "chromium:/usr/bin/chromium"
        "chromium-driver:/usr/bin/chromedriver"
        "python3-selenium:/usr/lib/python3/dist-packages/selenium/__init__.py"
        "python3-venv:/usr/share/doc/python3-venv"
    )
fi
missing=()
for entry in "${packages[@]}"; do
    name=${entry%%:*}
    probe=${entry#*:}
    # The OpenBLAS header lives in a multiarch folder: accept any architecture.
    if [ "$name" = "libopenblas-dev" ]; then
        compgen -G "/usr/include/*/openblas-pthread/cblas.h" >/dev/null && continue
    elif [ -e "$probe" ]; then
        continue
    fi
    missing+=("$name")
done

if [ ${#missing[@]} -gt 0 ]; then
    if $check_only; then
        for name in "${missing[@]}"; do echo "setup: missing Debian package $name (apt-get install -y $name)"; done
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "missing packages ${missing[*]} and no apt-get here: install their equivalents (cmark, libpng, OpenBLAS, KaTeX) by hand."
    fi
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || fail "missing packages ${missing[*]}: run 'apt-get install -y ${missing[*]}' as root."
        sudo="sudo"
    fi
    say "installing ${missing[*]}"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
        || fail "apt-get could not install ${missing[*]}; install them by hand and run this again."
fi

# pkg-config must see the C libraries the Swift package links.
for pc in libcmark libpng openblas; do
    pkg-config --exists "$pc" || fail "pkg-config cannot find '$pc' (Debian package: $(case $pc in libcmark) echo libcmark-dev;; libpng) echo libpng-dev;; *) echo libopenblas-dev;; esac))."
done

# --- CIFAR-10: $CIFAR10_DIR, then ../shared/data, then a download into .data/ -----------------
has_cifar() { [ -f "$1/test_batch.bin" ] && [ -f "$1/data_batch_1.bin" ]; }
cifar=""
if [ -n "${CIFAR10_DIR:-}" ]; then
    has_cifar "$CIFAR10_DIR" || fail "CIFAR10_DIR=$CIFAR10_DIR does not hold data_batch_1.bin and test_batch.bin (the binary release)."
    cifar=$CIFAR10_DIR
elif has_cifar "$here/../shared/data/cifar-10-batches-bin"; then
    cifar=$(cd "$here/../shared/data/cifar-10-batches-bin" && pwd)
elif has_cifar "$here/.data/cifar-10-batches-bin"; then
    cifar="$here/.data/cifar-10-batches-bin"
elif $check_only; then
    echo "setup: CIFAR-10 not found (set CIFAR10_DIR, or run without --check to download it)"
    exit 1
else
    url="https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    say "CIFAR-10 not found; downloading the official binary release (170 MB) into .data/"
    mkdir -p "$here/.data"
    tmp=$(mktemp "$here/.data/cifar.XXXXXX")
    if command -v curl >/dev/null 2>&1 && curl -fsSL --max-time 900 -o "$tmp" "$url" \
        && tar -xzf "$tmp" -C "$here/.data"; then
        rm -f "$tmp"
        cifar="$here/.data/cifar-10-batches-bin"
    else
        rm -f "$tmp"
        fail "could not download $url (no network?). Download cifar-10-binary.tar.gz elsewhere, unpack it, and set CIFAR10_DIR to its cifar-10-batches-bin folder."
    fi
fi
echo "CIFAR-10: $cifar"
