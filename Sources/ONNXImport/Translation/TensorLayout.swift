import BackMap

/// How an ONNX tensor's elements sit in the engine's HWC feature map that holds it.
public enum TensorLayout: Hashable, Sendable, CustomStringConvertible {
    /// ONNX `[1, C, H, W]` of the engine map `H × W × C` (PyTorch's layout).
    case nchw
    /// ONNX `[1, H, W, C]` of the engine map `H × W × C` (Keras' layout, before a Transpose).
    case nhwc
    /// ONNX `[1, n]` in the engine's own order.
    case vector
    /// ONNX `[1, C·H·W]` made by flattening an NCHW map of the given engine shape: ONNX element
    /// `c·H·W + h·W + w` is engine element `(h·W + w)·C + c` (the next dense layer permutes its
    /// weight rows to match).
    case channelMajor(Shape)

    public var description: String {
        switch self {
        case .nchw: "NCHW"
        case .nhwc: "NHWC"
        case .vector: "vector"
        case .channelMajor(let shape): "vector (C·H·W of \(shape))"
        }
    }

    /// The engine index of every ONNX element, in ONNX order, for a tensor of engine shape `shape`.
    public func engineIndices(shape: Shape) -> [Int] {
        switch self {
        case .nhwc, .vector:
            return Array(0..<shape.count)
        case .nchw:
            return Self.channelMajorIndices(shape)
        case .channelMajor(let source):
            return Self.channelMajorIndices(source)
        }
    }

    private static func channelMajorIndices(_ shape: Shape) -> [Int] {
        var result = [Int]()
        result.reserveCapacity(shape.count)
        for channel in 0..<shape.channels {
            for position in 0..<shape.positions { result.append(position * shape.channels + channel) }
        }
        return result
    }
}

/// Converts between ONNX's element order and the engine's for one tensor.
public struct LayoutConversion: Sendable {
    /// The layout of the ONNX tensor.
    public var layout: TensorLayout
    /// The engine shape holding it.
    public var shape: Shape

    /// Creates a conversion for a tensor of the given layout held in an engine map of `shape`.
    public init(layout: TensorLayout, shape: Shape) {
        self.layout = layout
        self.shape = shape
    }

    /// ONNX-ordered values → engine (HWC) order.
    public func toEngine<T>(_ values: [T]) -> [T] {
        let indices = layout.engineIndices(shape: shape)
        var result = values
        for (onnx, engine) in indices.enumerated() { result[engine] = values[onnx] }
        return result
    }

    /// Engine (HWC) values → ONNX order.
    public func toONNX<T>(_ values: [T]) -> [T] {
        layout.engineIndices(shape: shape).map { values[$0] }
    }
}
