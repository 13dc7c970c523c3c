import BackMap
import Foundation
import LinearAlgebra

@testable import ONNXImport

/// One model's onnxruntime parity file (`NAME.parity.safetensors`, docs/ONNX.md "Fixtures").
struct ParityFixture<T: BLASScalar> {
    var file: SafeTensorsFile
    var inputs: [[T]]
    var outputs: [[T]]
    /// ONNX tensor name → onnxruntime's value for every input.
    var intermediates: [(name: String, values: [[T]])]
    /// `d output[gradientClass] / d input` from torch.autograd (float64), if recorded.
    var gradients: [[Double]]?
    var gradientClass: Int?

    init(_ name: String) throws {
        let url = Fixtures.directory.appendingPathComponent("\(name).parity.safetensors")
        let file = try SafeTensorsFile(contentsOf: url)
        self.file = file
        inputs = try Self.items(file.tensor("input"))
        outputs = try Self.items(file.tensor("output"))
        let names = (file.metadata["intermediates"] ?? "").split(separator: ",").map(String.init)
        intermediates = try names.enumerated().map { index, name in
            (name, try Self.items(file.tensor("value.\(index)")))
        }
        if let tensor = file.tensors["gradient"] {
            gradients = Self.items(tensor)
            gradientClass = file.metadata["gradient_class"].flatMap { Int($0) }
        }
    }

    /// Splits a `[N, …]` tensor into its N items.
    static func items<U: BinaryFloatingPoint>(_ tensor: SafeTensor) -> [[U]] {
        let values: [U] = tensor.floatingValues() ?? []
        let count = tensor.shape.first ?? 0
        let size = count == 0 ? 0 : values.count / count
        return (0..<count).map { Array(values[($0 * size)..<(($0 + 1) * size)]) }
    }
}

/// `max |a − b| / max |b|`: the difference relative to the reference tensor's largest magnitude.
func relativeDifference<T: BinaryFloatingPoint, U: BinaryFloatingPoint>(_ a: [T], _ b: [U]) -> Double {
    guard a.count == b.count, !b.isEmpty else { return .infinity }
    let scale = b.map { abs(Double($0)) }.max() ?? 0
    let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
    return scale == 0 ? worst : worst / scale
}
