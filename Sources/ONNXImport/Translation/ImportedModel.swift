import BackMap
import LinearAlgebra

/// What one ONNX node became in the engine's graph.
public struct ImportNote: Hashable, Sendable {
    /// The ONNX node's name.
    public var node: String
    /// Its op type.
    public var opType: String
    /// What it became, in words (`convolution 3×3 3→8 …`, `alias`, `stripped: …`).
    public var became: String
}

/// Where an ONNX tensor lives in the engine's graph.
public struct TensorPlacement: Hashable, Sendable {
    /// The engine node (index into ``BackMap/Network/nodes``) holding the tensor.
    public var node: Int
    /// How its elements are ordered relative to ONNX's.
    public var layout: TensorLayout
}

/// An ONNX model translated into the engine's unfolded ``BackMap/Network``.
public struct ImportedModel<T: BLASScalar>: Sendable {
    /// The engine graph (analyse it with `network.folded()`).
    public var network: Network<T>
    /// The ONNX input tensor's name and layout.
    public var inputName: String
    /// The layout of the ONNX input (NCHW from PyTorch, NHWC from Keras).
    public var inputLayout: TensorLayout
    /// The ONNX tensor the engine's output is (a trailing Softmax's input when it was stripped).
    public var outputName: String
    /// What every ONNX node became, in file order.
    public var notes: [ImportNote]
    /// Where each ONNX tensor that was computed lives in the engine graph.
    public var placements: [String: TensorPlacement]
    /// The opset and producer of the file.
    public var opset: Int
    /// `producer_name producer_version` of the file.
    public var producer: String

    /// Converts one ONNX-ordered input (NCHW or NHWC, batch of one) to the engine's HWC image.
    public func engineImage(fromONNX values: [T]) -> [T] {
        LayoutConversion(layout: inputLayout, shape: network.inputShape).toEngine(values)
    }

    /// The engine's values of an ONNX tensor (from `network.evaluate`'s per-node outputs) in
    /// ONNX order; `nil` when the tensor has no engine node (it was folded away).
    public func onnxValues(of tensor: String, nodeOutputs: [[T]]) -> [T]? {
        guard let placement = placements[tensor] else { return nil }
        let shape = network.nodes[placement.node].shape
        return LayoutConversion(layout: placement.layout, shape: shape).toONNX(nodeOutputs[placement.node])
    }
}
