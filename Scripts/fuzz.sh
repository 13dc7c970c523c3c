#!/usr/bin/env bash
# Fuzzes the parsers this project owns with libFuzzer (docs/FUZZING.md).
#
#   bash Scripts/fuzz.sh                  # every target, 600 s each
#   bash Scripts/fuzz.sh notebook 60      # one target for 60 s
#
# Targets: front-matter, notebook, math, safetensors, cifar (Sources/FuzzTargets). Each run
# starts from the kept inputs in Tests/FuzzTargetsTests/Inputs/<target>/ (seeds and earlier
# crashes) and a working corpus in .build-fuzz/corpus/<target>/. A crash is written to
# Tests/FuzzTargetsTests/Inputs/<target>/crash-… — fix it, keep the file, and the test suite
# replays it from then on. Prints each run's executions per second from libFuzzer's summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
targets=(front-matter notebook math safetensors cifar)
[ $# -ge 1 ] && [ "$1" != "all" ] && targets=("$1")
seconds=${2:-600}

swift build -c release --scratch-path .build-fuzz --product fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >/dev/null  # gold fails on the sanitized objects
binary=.build-fuzz/release/fuzz

for target in "${targets[@]}"; do
    kept=Tests/FuzzTargetsTests/Inputs/$target
    corpus=.build-fuzz/corpus/$target
    mkdir -p "$kept" "$corpus"
    log=.build-fuzz/$target.log
    echo "== $target, $seconds s"
    status=0
    FUZZ_TARGET=$target nice -n "${NICE:-10}" "$binary" -max_total_time="$seconds" -max_len=65536 \
        -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$kept/" -print_final_stats=1 \
        "$corpus" "$kept" >"$log" 2>&1 || status=$?
    grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb" "$log" || true
    if [ $status -ne 0 ]; then
        grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
        echo "$target: libFuzzer exited with $status (log: $log)"
        exit $status
    fi
done
