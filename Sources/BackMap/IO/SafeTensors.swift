import Diagnostics
import Foundation

extension Place {
    /// A tensor of a safetensors file: `file: tensor 'name'`.
    public static func tensor(_ name: String, in file: String) -> Place {
        Place(file: file, "tensor '\(name)'")
    }
}

/// The element type of a stored tensor.
public enum DType: String, Hashable, Sendable, CaseIterable {
    case f64 = "F64"
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case i64 = "I64"
    case i32 = "I32"
    case i16 = "I16"
    case i8 = "I8"
    case u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }
}

/// One tensor of a safetensors file: dtype, shape and raw little-endian bytes.
public struct SafeTensor: Hashable, Sendable {
    /// Element type.
    public var dtype: DType
    /// Extents, outermost first.
    public var shape: [Int]
    /// Raw little-endian data, `shape.product · dtype.size` bytes.
    public var bytes: [UInt8]

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// A float32 tensor.
    public init(_ values: [Float], shape: [Int]) {
        precondition(
            values.count == shape.reduce(1, *), "SafeTensor: \(values.count) values for shape \(shape)")
        dtype = .f32
        self.shape = shape
        bytes = values.withUnsafeBytes { Array($0) }
    }

    /// A float64 tensor.
    public init(_ values: [Double], shape: [Int]) {
        precondition(
            values.count == shape.reduce(1, *), "SafeTensor: \(values.count) values for shape \(shape)")
        dtype = .f64
        self.shape = shape
        bytes = values.withUnsafeBytes { Array($0) }
    }

    /// An int32 tensor.
    public init(_ values: [Int32], shape: [Int]) {
        precondition(
            values.count == shape.reduce(1, *), "SafeTensor: \(values.count) values for shape \(shape)")
        dtype = .i32
        self.shape = shape
        bytes = values.withUnsafeBytes { Array($0) }
    }

    /// A tensor from raw parts (no validation beyond the byte count).
    public init(dtype: DType, shape: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// The values as floating point (from `F32` or `F64`), or `nil` for other dtypes.
    public func floatingValues<T: BinaryFloatingPoint>(as type: T.Type = T.self) -> [T]? {
        switch dtype {
        case .f32:
            return bytes.withUnsafeBytes { raw in
                (0..<count).map {
                    T(
                        Float(
                            bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)
                                .littleEndian))
                }
            }
        case .f64:
            return bytes.withUnsafeBytes { raw in
                (0..<count).map {
                    T(
                        Double(
                            bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)
                                .littleEndian))
                }
            }
        default:
            return nil
        }
    }

    /// The values as integers (from `I32`, `I64` or `U8`), or `nil` for other dtypes.
    public func integerValues() -> [Int]? {
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .i32:
                (0..<count).map {
                    Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)))
                }
            case .i64:
                (0..<count).map {
                    Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)))
                }
            case .u8: raw.map { Int($0) }
            default: nil
            }
        }
    }
}

/// A safetensors file in memory: named tensors plus string metadata.
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of JSON
/// (`{"__metadata__": {…}, "name": {"dtype", "shape", "data_offsets": [begin, end]}, …}`),
/// then the data; offsets are relative to the end of the header.
public struct SafeTensorsFile: Sendable {
    /// The tensors by name.
    public var tensors: [String: SafeTensor]
    /// The `__metadata__` map.
    public var metadata: [String: String]
    /// Where the file came from (for error messages).
    public var source: String

    /// An empty file.
    public init(
        tensors: [String: SafeTensor] = [:], metadata: [String: String] = [:], source: String = "<memory>"
    ) {
        self.tensors = tensors
        self.metadata = metadata
        self.source = source
    }

    /// Reads and validates a file.
    ///
    /// - Throws: ``PlacedError`` naming the file and tensor for an unreadable file, a bad
    ///   header, an unknown dtype, inconsistent offsets or truncated data.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PlacedError(
                file: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        try self.init(bytes: [UInt8](data), source: url.path)
    }

    /// Parses the bytes of a safetensors file.
    ///
    /// - Throws: ``PlacedError`` naming the file (and the tensor) for a short or unreadable
    ///   header, a bad entry, a size that overflows, or data beyond the end of the file.
    public init(bytes: [UInt8], source: String = "<memory>") throws {
        let (header, headerEnd) = try Self.header(of: bytes, source: source)
        var tensors = [String: SafeTensor]()
        var metadata = [String: String]()
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = try Self.metadata(value, source: source)
            } else {
                tensors[name] = try Self.tensor(
                    name, entry: value, bytes: bytes, dataStart: headerEnd, source: source)
            }
        }
        self.init(tensors: tensors, metadata: metadata, source: source)
    }

    /// The JSON header and the offset where the data begins.
    private static func header(of bytes: [UInt8], source: String) throws -> ([String: Any], Int) {
        guard bytes.count >= 8 else {
            throw PlacedError(
                file: source, message: "file has \(bytes.count) bytes, too short for the 8-byte header length"
            )
        }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw PlacedError(
                file: source,
                message: "header length \(headerLength) exceeds the \(bytes.count - 8) bytes after it")
        }
        let headerEnd = 8 + Int(headerLength)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw PlacedError(
                file: source, message: "header is not valid JSON (\(error.localizedDescription))")
        }
        guard let header = json as? [String: Any] else {
            throw PlacedError(file: source, message: "header is not a JSON object")
        }
        return (header, headerEnd)
    }

    /// The `__metadata__` map: strings only.
    private static func metadata(_ value: Any, source: String) throws -> [String: String] {
        guard let map = value as? [String: Any] else {
            throw PlacedError(file: source, message: "__metadata__ is not an object")
        }
        var metadata = [String: String]()
        for (key, entry) in map {
            guard let text = entry as? String else {
                throw PlacedError(file: source, message: "__metadata__ value for '\(key)' is not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// One tensor's header entry, checked against its dtype, shape and the data present.
    private static func tensor(
        _ name: String, entry value: Any, bytes: [UInt8], dataStart: Int, source: String
    ) throws -> SafeTensor {
        func fail(_ message: String) -> PlacedError { PlacedError(at: .tensor(name, in: source), message) }
        guard let entry = value as? [String: Any] else { throw fail("header entry is not an object") }
        guard let dtypeName = entry["dtype"] as? String else { throw fail("missing dtype") }
        guard let dtype = DType(rawValue: dtypeName) else { throw fail("unknown dtype '\(dtypeName)'") }
        guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("shape is not a list of non-negative integers")
        }
        guard let offsets = integers(entry["data_offsets"]), offsets.count == 2,
            offsets[0] >= 0, offsets[1] >= offsets[0]
        else { throw fail("data_offsets is not [begin, end] with begin ≤ end") }
        guard let expected = byteCount(shape, elementSize: dtype.size) else {
            throw fail("\(dtypeName) \(shape) has more bytes than this machine can address")
        }
        guard offsets[1] - offsets[0] == expected else {
            throw fail(
                "data_offsets span \(offsets[1] - offsets[0]) bytes, but \(dtypeName) \(shape) needs \(expected)"
            )
        }
        let dataCount = bytes.count - dataStart
        guard offsets[1] <= dataCount else {
            throw fail(
                "data ends at byte \(offsets[1]) but the file has only \(dataCount) data bytes (truncated?)")
        }
        let slice = bytes[(dataStart + offsets[0])..<(dataStart + offsets[1])]
        return SafeTensor(dtype: dtype, shape: shape, bytes: Array(slice))
    }

    /// The bytes of a tensor of `shape`, or `nil` when the product overflows an `Int`.
    private static func byteCount(_ shape: [Int], elementSize: Int) -> Int? {
        var count = elementSize
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// The serialised file: header (keys sorted, padded with spaces to a multiple of 8) and data.
    public func serialized() -> [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(Self.quoted($0)):\(Self.quoted(metadata[$0] ?? ""))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        var body: [UInt8] = []
        for name in tensors.keys.sorted() {
            guard let tensor = tensors[name] else { continue }
            let end = offset + tensor.bytes.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\(Self.quoted(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(end)]}")
            body += tensor.bytes
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var result: [UInt8] = []
        result.reserveCapacity(8 + header.count + body.count)
        let length = UInt64(header.count)
        for i in 0..<8 { result.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
        return result + header + body
    }

    /// Writes the file atomically (a temporary file renamed into place).
    public func write(to url: URL) throws {
        do {
            try Data(serialized()).write(to: url, options: .atomic)
        } catch {
            throw PlacedError(file: url.path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The floating-point values of a tensor, checked against the expected shape.
    ///
    /// - Throws: ``PlacedError`` naming the tensor when it is missing, not `F32`/`F64`,
    ///   or of another shape.
    public func values<T: BinaryFloatingPoint>(_ name: String, shape: [Int], as type: T.Type = T.self)
        throws -> [T]
    {
        let tensor = try self.tensor(name)
        guard tensor.shape == shape else {
            throw PlacedError(
                at: .tensor(name, in: source), "shape \(tensor.shape), expected \(shape)")
        }
        guard let values: [T] = tensor.floatingValues() else {
            throw PlacedError(
                at: .tensor(name, in: source), "dtype \(tensor.dtype.rawValue), expected F32 or F64")
        }
        return values
    }

    /// A tensor by name.
    public func tensor(_ name: String) throws -> SafeTensor {
        guard let tensor = tensors[name] else {
            throw PlacedError(at: .tensor(name, in: source), "missing tensor")
        }
        return tensor
    }
}

extension SafeTensorsFile {
    fileprivate static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in list {
            if let number = item as? Int {
                result.append(number)
            } else if let number = item as? NSNumber, Double(number.int64Value) == number.doubleValue {
                result.append(number.intValue)
            } else {
                return nil
            }
        }
        return result
    }

    fileprivate static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
