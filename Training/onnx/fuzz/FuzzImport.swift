// libFuzzer harness for the whole import (reader, translation to the engine's graph, folding):
// arbitrary bytes must import or throw ONNXImportError, never trap. Built and run by
// fuzz-import.sh, which links the engine's objects from a debug build in .build-onnx.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? Data() : Data(bytes: data!, count: size)
    _ = try? ONNXImporter.importModel(serialized: bytes, file: "fuzz.onnx", as: Float.self)
    return 0
}
