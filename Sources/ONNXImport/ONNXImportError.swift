import Diagnostics

/// Why an ONNX file cannot be imported. Every error names the file and, where there is one, the
/// node (name and op type) and the field at fault; nothing is half-built when one is thrown.
public struct ONNXImportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Equatable {
        /// The bytes are not an ONNX protobuf (truncated or corrupt).
        case unreadable
        /// The opset, a data type, or the graph's structure is outside what the importer reads.
        case invalidModel
        /// The operator is not translated (or not at this position in the graph).
        case unsupportedOperator
        /// The operator is not piecewise linear, so the identity `c = ⟨x|H^I⟩ + ⟨x_b|H^b⟩`
        /// does not hold for it (Notebooks/limits.md).
        case notPiecewiseLinear
        /// An attribute value the engine has no equivalent for.
        case unsupportedAttribute
        /// A tensor of the wrong rank, a dynamic shape, or sizes that do not fit.
        case unsupportedShape
    }

    /// The kind of problem.
    public var kind: Kind
    /// The file (or `<memory>`).
    public var file: String
    /// The ONNX node's name, if a node is at fault.
    public var node: String?
    /// The node's op type, if a node is at fault.
    public var opType: String?
    /// The attribute, input or tensor at fault, if any.
    public var field: String?
    /// What is wrong, in words.
    public var message: String

    /// Creates an error.
    public init(
        _ kind: Kind, file: String, node: String? = nil, opType: String? = nil, field: String? = nil,
        message: String
    ) {
        self.kind = kind
        self.file = file
        self.node = node
        self.opType = opType
        self.field = field
        self.message = message
    }

    /// The file, then the node (name and op type) and the field at fault, where there are ones:
    /// `x.onnx: node 'conv1' (Conv), field 'strides'`.
    public var place: Place {
        let nodePart = node.map { "node '\($0)'" + (opType.map { " (\($0))" } ?? "") }
        let fieldPart = field.map { "field '\($0)'" }
        let inside = [nodePart, fieldPart].compactMap { $0 }.joined(separator: ", ")
        return Place(file: file, parts: inside.isEmpty ? [] : [inside])
    }

    /// `place: message`, as ``PlacedError`` writes it.
    public var description: String { PlacedError(at: place, message).description }
}
