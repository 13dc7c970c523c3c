#!/bin/sh
# Fuzzes the ONNX reader (parsing, tensor decoding, attributes) with libFuzzer:
#   Training/onnx/fuzz/fuzz-reader.sh [seconds]      (default 600)
# Builds SwiftProtobuf 1.39.0 (from the package checkout SwiftPM made in .build-onnx) as a static
# library, then the reader's sources with FuzzReader.swift under -sanitize=fuzzer,address, in
# .build-onnx-fuzz/. Starts from the committed .onnx fixtures; a crash is written to
# Tests/ONNXImportTests/Fixtures/fuzz/ (replayed by FuzzRegressionTests from then on).
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
seconds=${1:-600}
out="$root/.build-onnx-fuzz"
protobuf="$root/.build-onnx/checkouts/swift-protobuf/Sources/SwiftProtobuf"
[ -d "$protobuf" ] || { echo "run 'swift build --scratch-path .build-onnx' first (it checks out swift-protobuf)"; exit 1; }
mkdir -p "$out/lib" "$out/corpus" "$root/Tests/ONNXImportTests/Fixtures/fuzz"
if [ ! -f "$out/lib/libSwiftProtobuf.a" ]; then
    (cd "$out/lib" && nice -n 10 swiftc -O -parse-as-library -module-name SwiftProtobuf -package-name swift_protobuf -emit-module \
        -emit-library -static -o libSwiftProtobuf.a "$protobuf"/*.swift)
fi
src="$root/Sources/ONNXImport"
nice -n 10 swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name ONNXFuzz -I "$out/lib" -L "$out/lib" \
    -lSwiftProtobuf "$src/Generated/onnx.pb.swift" "$src/ONNXImportError.swift" "$src"/Reading/*.swift \
    "$root/Training/onnx/fuzz/FuzzReader.swift" -o "$out/fuzz-reader"
cp "$root"/Tests/ONNXImportTests/Fixtures/*.onnx "$out/corpus/"
nice -n 10 "$out/fuzz-reader" -max_total_time="$seconds" -max_len=200000 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$root/Tests/ONNXImportTests/Fixtures/fuzz/" -print_final_stats=1 "$out/corpus"
