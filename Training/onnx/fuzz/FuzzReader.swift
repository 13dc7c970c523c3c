// libFuzzer harness for the ONNX reader (Sources/ONNXImport/Reading): arbitrary bytes must parse
// or throw ONNXImportError, never trap, hang or read out of bounds. Built and run by
// fuzz-reader.sh (swiftc -sanitize=fuzzer,address); crashes are kept in
// Tests/ONNXImportTests/Fixtures/fuzz/ and replayed by FuzzRegressionTests.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? Data() : Data(bytes: data!, count: size)
    guard let graph = try? ONNXGraph(serialized: bytes, file: "fuzz.onnx") else { return 0 }
    for node in graph.nodes {
        _ = try? node.checkAttributes(["kernel_shape", "pads", "strides"], file: "fuzz.onnx")
        _ = try? node.ints("pads", file: "fuzz.onnx")
        _ = try? node.squarePair("strides", default: 1, file: "fuzz.onnx")
        _ = try? node.string("auto_pad", default: "NOTSET", file: "fuzz.onnx")
        _ = try? node.float("alpha", default: 0.01, file: "fuzz.onnx")
        _ = try? node.tensor("value", file: "fuzz.onnx")
    }
    _ = graph.initializers.values.reduce(0) { $0 + ($1.integers?.count ?? 0) }
    return 0
}
