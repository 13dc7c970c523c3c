#!/bin/sh
# Fuzzes the whole ONNX import (reader, translation, folding) with libFuzzer:
#   swift build --scratch-path .build-onnx --target ONNXImport    # the engine's objects, once
#   Training/onnx/fuzz/fuzz-import.sh [seconds]                   # default 600
# The ONNXImport sources and FuzzImport.swift are instrumented (-sanitize=fuzzer,address); the
# engine (BackMap and what it links) comes uninstrumented from the debug build. Needs
# fuzz-reader.sh's libSwiftProtobuf.a. Crashes go to Tests/ONNXImportTests/Fixtures/fuzz/.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
seconds=${1:-600}
out="$root/.build-onnx-fuzz"
debug="$root/.build-onnx/debug"
[ -f "$out/lib/libSwiftProtobuf.a" ] || { echo "run fuzz-reader.sh first (it builds libSwiftProtobuf.a)"; exit 1; }
src="$root/Sources/ONNXImport"
objects=$(ls "$debug"/BackMap.build/*.o "$debug"/LinearAlgebra.build/*.o "$debug"/NotebookSupport.build/*.o \
    "$debug"/PNGCodec.build/*.o)
# shellcheck disable=SC2086
nice -n 10 swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name ONNXFuzz \
    -I "$out/lib" -I "$debug/Modules" -I "$root/Sources/COpenBLAS" -I "$root/Sources/CPNG" -L "$out/lib" \
    -lSwiftProtobuf -lopenblas -lpng $objects "$src/Generated/onnx.pb.swift" "$src/ONNXImportError.swift" \
    "$src/ONNXImporter.swift" "$src"/Reading/*.swift "$src"/Translation/*.swift \
    "$root/Training/onnx/fuzz/FuzzImport.swift" -o "$out/fuzz-import"
mkdir -p "$out/corpus-import"
cp "$root"/Tests/ONNXImportTests/Fixtures/*.onnx "$out/corpus-import/"
nice -n 10 "$out/fuzz-import" -max_total_time="$seconds" -max_len=200000 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$root/Tests/ONNXImportTests/Fixtures/fuzz/" -print_final_stats=1 "$out/corpus-import"
