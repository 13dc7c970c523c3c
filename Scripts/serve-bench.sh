#!/usr/bin/env bash
# Latency and load test of the unit explorer's API through a real HTTP client (wrk) on loopback.
#
#   1. latency: one connection, each request a click on a different unit (RM2) of image 0, whose
#      forward passes are cached after the first click: median and p99 for VGG7 (conv5, the
#      deepest convolution) and ResNet20 (conv18, the deepest); then clicks on a new image each
#      time (the forward passes at k and at k = 1 included);
#   2. load: 2 threads × 8 connections for a fixed time, twice, over 100 images so that the
#      model caches churn; no socket error, no non-2xx answer, and the server's resident memory
#      after the second run no more than 10% above the first.
#
# Usage: Scripts/serve-bench.sh [SECONDS]   (default 15 s per latency run, 20 s per load run)
# Needs wrk (apt-get install -y wrk) and curl. Builds `notebook` in release into .build-serve.
# Exit status: 0 when the load test passed, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
seconds=${1:-15}
port=${SERVE_BENCH_PORT:-8765}
command -v wrk >/dev/null || { echo "serve-bench: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
swift build -c release --scratch-path .build-serve --product notebook 2>&1 | tail -1
site=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$site"' EXIT
.build-serve/release/notebook serve --no-build --site "$site" --port "$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/model" >/dev/null && break; sleep 0.2; done
url="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }

echo "server pid $server; warming up (models load, image 0's forward passes)"
for model in vgg7 resnet20; do
    curl -sf "$url/api/backmap?model=$model&layer=0&channel=0&row=0&column=0" >/dev/null
done

echo "== latency, 1 connection, ${seconds} s each"
echo -n "VGG7 conv5 RM2 click:     "
wrk -t1 -c1 -d"${seconds}s" -s Scripts/serve-clicks.lua "$url" -- vgg7 5 8 96 1 | grep RESULT
echo -n "ResNet20 conv18 RM2 click: "
wrk -t1 -c1 -d"${seconds}s" -s Scripts/serve-clicks.lua "$url" -- resnet20 18 8 96 1 | grep RESULT

echo -n "VGG7 conv3 RM2 click on a new image each time (forward passes included): "
wrk -t1 -c1 -d"${seconds}s" -s Scripts/serve-clicks.lua "$url" -- vgg7 3 16 64 1000 | grep RESULT
echo -n "ResNet20 conv9 RM2 click on a new image each time: "
wrk -t1 -c1 -d"${seconds}s" -s Scripts/serve-clicks.lua "$url" -- resnet20 9 16 64 1000 | grep RESULT

echo "== load, 2 threads x 8 connections, 100 images (caches churn), 2 x 20 s"
status=0
before=$(rss)
first=$(wrk -t2 -c8 -d20s -s Scripts/serve-clicks.lua "$url" -- vgg7 3 16 64 100 | grep RESULT)
after_first=$(rss)
second=$(wrk -t2 -c8 -d20s -s Scripts/serve-clicks.lua "$url" -- vgg7 3 16 64 100 | grep RESULT)
after_second=$(rss)
echo "run 1: $first"
echo "run 2: $second"
echo "resident memory: ${before} kB before, ${after_first} kB after run 1, ${after_second} kB after run 2"
for run in "$first" "$second"; do
    if [[ "$run" != *"socket_errors=0 non_2xx=0"* ]]; then echo "FAIL: errors under load" >&2; status=1; fi
done
if (( after_second > after_first * 11 / 10 )); then
    echo "FAIL: memory grew by more than 10% between the runs" >&2
    status=1
fi
[[ $status == 0 ]] && echo "load test passed"
exit $status
