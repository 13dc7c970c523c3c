import Foundation
import SwiftProtobuf

/// One node of an ONNX graph, with its attributes by name.
public struct ONNXNode: Sendable {
    /// The node's name (`op_type_index` when the file leaves it empty).
    public var name: String
    /// The operator, e.g. `Conv`.
    public var opType: String
    /// Input tensor names (an empty name is an omitted optional input).
    public var inputs: [String]
    /// Output tensor names.
    public var outputs: [String]
    /// Attributes by name.
    var attributes: [String: Onnx_AttributeProto]
}

/// A graph input or output: its name, element type and dimensions (`nil` for a dynamic one).
public struct ONNXValueInfo: Sendable, Equatable {
    /// The tensor's name.
    public var name: String
    /// `TensorProto.DataType` code (1 float32, 11 float64).
    public var elementType: Int32
    /// The dimensions; `nil` where the file gives a symbol (`batch`) or nothing.
    public var dims: [Int?]
}

/// The parts of an ONNX model the importer reads: opset, nodes, initializers, inputs, outputs.
public struct ONNXGraph: Sendable {
    /// The supported versions of the default (`ai.onnx`) operator set.
    public static let supportedOpsets: ClosedRange<Int> = 11...21

    /// Where the model came from, for error messages.
    public var file: String
    /// The version of the default operator set.
    public var opset: Int
    /// `producer_name producer_version` of the file.
    public var producer: String
    /// The nodes in the file's (topological) order.
    public var nodes: [ONNXNode]
    /// Constant tensors by name.
    public var initializers: [String: ONNXTensor]
    /// Graph inputs that are not initializers.
    public var inputs: [ONNXValueInfo]
    /// Graph outputs.
    public var outputs: [ONNXValueInfo]

    /// Parses a serialized `ModelProto`.
    ///
    /// - Throws: ``ONNXImportError`` (`unreadable`) when the bytes are not a protobuf, with
    ///   swift-protobuf's reason; (`invalidModel`) for a missing graph, an opset outside
    ///   ``supportedOpsets``, or an initializer that cannot be decoded.
    public init(serialized data: Data, file: String = "<memory>") throws {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ONNXImportError(
                .unreadable, file: file,
                message: "not an ONNX model (\(data.count) bytes): protobuf decoding failed: \(error)")
        }
        guard model.hasGraph, !model.graph.node.isEmpty else {
            throw ONNXImportError(
                .unreadable, file: file, message: "the file holds no graph (truncated or not ONNX)")
        }
        let defaultSets = model.opsetImport.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        guard let opset = defaultSets.first.map({ Int($0.version) }) else {
            throw ONNXImportError(
                .invalidModel, file: file, field: "opset_import", message: "no ai.onnx opset")
        }
        guard Self.supportedOpsets.contains(opset) else {
            throw ONNXImportError(
                .invalidModel, file: file, field: "opset_import",
                message:
                    "opset \(opset) is outside the supported \(Self.supportedOpsets); re-export with opset_version=17"
            )
        }
        self.file = file
        self.opset = opset
        producer = [model.producerName, model.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        let graph = model.graph
        var initializers = [String: ONNXTensor]()
        for proto in graph.initializer { initializers[proto.name] = try ONNXTensor(proto, file: file) }
        self.initializers = initializers
        nodes = graph.node.enumerated().map { index, node in
            ONNXNode(
                name: node.name.isEmpty ? "\(node.opType)_\(index)" : node.name, opType: node.opType,
                inputs: node.input, outputs: node.output,
                attributes: Dictionary(
                    node.attribute.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
        }
        for node in graph.node where !(node.domain.isEmpty || node.domain == "ai.onnx") {
            throw ONNXImportError(
                .unsupportedOperator, file: file, node: node.name, opType: node.opType, field: "domain",
                message: "operator of domain '\(node.domain)' is not part of ai.onnx")
        }
        inputs = graph.input.filter { initializers[$0.name] == nil }.map(Self.valueInfo)
        outputs = graph.output.map(Self.valueInfo)
    }

    /// Reads and parses an `.onnx` file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ONNXImportError(
                .unreadable, file: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        try self.init(serialized: data, file: url.path)
    }

    private static func valueInfo(_ proto: Onnx_ValueInfoProto) -> ONNXValueInfo {
        let tensor = proto.type.tensorType
        let dims: [Int?] = tensor.shape.dim.map {
            if case .dimValue(let value)? = $0.value, value > 0 { return Int(value) }
            return nil
        }
        return ONNXValueInfo(name: proto.name, elementType: tensor.elemType, dims: dims)
    }

    /// The nodes that read tensor `name`.
    func consumers(of name: String) -> [ONNXNode] {
        nodes.filter { $0.inputs.contains(name) }
    }
}
