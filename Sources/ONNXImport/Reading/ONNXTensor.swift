import Foundation

/// A constant tensor of an ONNX graph (an initializer or a `Constant` node's value), decoded.
public struct ONNXTensor: Sendable, Equatable {
    /// The tensor's name.
    public var name: String
    /// The dimensions, outermost first.
    public var dims: [Int]
    /// The values in row-major order, widened to `Double` (float32, float64 and integer tensors).
    public var values: [Double]

    /// Creates a tensor; `values.count` must equal the product of `dims`.
    public init(name: String, dims: [Int], values: [Double]) {
        self.name = name
        self.dims = dims
        self.values = values
    }

    /// Number of elements.
    public var count: Int { values.count }

    /// The values as integers (for shapes, pads and axes); `nil` when one is not a whole number
    /// of at most 2^53 in magnitude (a NaN or a huge float in a corrupt file).
    public var integers: [Int]? {
        guard values.allSatisfy({ $0.rounded() == $0 && abs($0) <= 0x1p53 }) else { return nil }
        return values.map { Int($0) }
    }
}

extension ONNXTensor {
    /// ONNX `TensorProto.DataType` codes the importer decodes.
    enum DataType: Int32 {
        case float = 1
        case int32 = 6
        case int64 = 7
        case double = 11
        var byteWidth: Int { self == .float || self == .int32 ? 4 : 8 }
    }

    /// Decodes a `TensorProto` from `raw_data` (little-endian) or from its typed field.
    ///
    /// - Throws: ``ONNXImportError`` naming the tensor for external data, an unsupported data
    ///   type, negative dimensions, or a value count that does not match the dimensions.
    init(_ proto: Onnx_TensorProto, file: String) throws {
        func fail(_ message: String) -> ONNXImportError {
            ONNXImportError(.invalidModel, file: file, field: "tensor '\(proto.name)'", message: message)
        }
        guard proto.dataLocation != .external else {
            throw fail("external data is not supported; save the model with the weights inside")
        }
        guard let type = DataType(rawValue: proto.dataType) else {
            throw fail("data type \(proto.dataType) is not float32, float64, int32 or int64")
        }
        guard proto.dims.allSatisfy({ $0 >= 0 && $0 < 1 << 31 }) else {
            throw fail("dimensions \(proto.dims) are not valid")
        }
        let dims = proto.dims.map { Int($0) }
        let (count, overflow) = dims.reduce((1, false)) { result, dim in
            let (product, flag) = result.0.multipliedReportingOverflow(by: dim)
            return (product, result.1 || flag)
        }
        guard !overflow, count < 1 << 31 else { throw fail("dimensions \(dims) are too large") }
        let values =
            proto.hasRawData
            ? try Self.decodeRaw(proto.rawData, type: type, count: count, fail: fail)
            : Self.typedValues(proto, type: type)
        guard values.count == count else {
            throw fail("holds \(values.count) values, its dimensions \(dims) need \(count)")
        }
        self.init(name: proto.name, dims: dims, values: values)
    }

    private static func decodeRaw(
        _ data: Data, type: DataType, count: Int, fail: (String) -> ONNXImportError
    ) throws -> [Double] {
        guard data.count == count * type.byteWidth else {
            throw fail("raw_data has \(data.count) bytes, \(count) values need \(count * type.byteWidth)")
        }
        return data.withUnsafeBytes { buffer in
            (0..<count).map { index in
                let offset = index * type.byteWidth
                switch type {
                case .float:
                    return Double(
                        Float(
                            bitPattern: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                                .littleEndian))
                case .double:
                    return Double(
                        bitPattern: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
                    )
                case .int32:
                    return Double(
                        Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                case .int64:
                    return Double(
                        Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
                }
            }
        }
    }

    private static func typedValues(_ proto: Onnx_TensorProto, type: DataType) -> [Double] {
        switch type {
        case .float: proto.floatData.map(Double.init)
        case .double: proto.doubleData
        case .int32: proto.int32Data.map(Double.init)
        case .int64: proto.int64Data.map(Double.init)
        }
    }
}
