#!/bin/sh
# Regenerates Sources/ONNXImport/Generated/onnx.pb.swift from Training/onnx/onnx.proto (copied
# from the `onnx` 1.23.2 wheel). Needs Debian's protobuf-compiler and protoc-gen-swift built from
# apple/swift-protobuf 1.39.0 (`swift build -c release --product protoc-gen-swift` in a scratch
# package that depends on it). The generated file is committed, so building the project never
# needs either tool.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugin=${PROTOC_GEN_SWIFT:?set PROTOC_GEN_SWIFT to the protoc-gen-swift binary}
out=$(mktemp -d)
cd "$here"
protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$out" --swift_opt=Visibility=Internal onnx.proto
mv "$out/onnx.pb.swift" "$here/../../Sources/ONNXImport/Generated/onnx.pb.swift"
rmdir "$out"
