import BackMap
import LinearAlgebra

/// A tensor already computed by an engine node, with its layout.
struct Placed: Hashable {
    var node: Int
    var layout: TensorLayout
}

/// A step on a tensor that is kept back until its consumer is known: constant affine steps
/// are merged into one, and a zero pad goes into the padding of the convolution that reads it.
enum Pending {
    /// `base · scale + shift`, `scale` and `shift` with 1 (scalar) or C (per channel) entries.
    case affine(base: Placed, scale: [Double], shift: [Double], nodes: [String])
    /// Zeros around `base` (top, bottom, left, right).
    case pad(base: Placed, pads: [Int], node: String)
}

/// An ONNX tensor during translation.
enum Value {
    case placed(Placed)
    case constant(ONNXTensor)
    case pending(Pending)
}

/// Translates an ``ONNXGraph`` into a ``BackMap/Network``, node by node in file order.
struct Translator<T: BLASScalar> {
    let graph: ONNXGraph
    var network: Network<T>
    var values: [String: Value] = [:]
    var notes: [ImportNote] = []
    var placements: [String: TensorPlacement] = [:]
    let inputName: String
    let inputLayout: TensorLayout
    var file: String { graph.file }

    init(graph: ONNXGraph) throws {
        self.graph = graph
        guard graph.inputs.count == 1, let input = graph.inputs.first else {
            throw ONNXImportError(
                .invalidModel, file: graph.file, field: "graph.input",
                message: "expected one image input, found \(graph.inputs.map(\.name))")
        }
        guard input.elementType == 1 || input.elementType == 11 else {
            throw ONNXImportError(
                .invalidModel, file: graph.file, field: "input '\(input.name)'",
                message: "element type \(input.elementType) is not float32 or float64")
        }
        let layout = Self.inputLayout(graph: graph, input: input)
        let shape = try Self.inputShape(input, layout: layout, file: graph.file)
        inputName = input.name
        inputLayout = layout
        network = Network(inputShape: shape, inputName: input.name)
        for (name, tensor) in graph.initializers { values[name] = .constant(tensor) }
        values[input.name] = .placed(Placed(node: 0, layout: layout))
        placements[input.name] = TensorPlacement(node: 0, layout: layout)
    }

    /// NHWC when the input reaches a `Transpose` to NCHW through layout-free steps (tf2onnx's
    /// graphs of Keras models), NCHW for a rank-4 input otherwise, a vector for rank 2.
    static func inputLayout(graph: ONNXGraph, input: ONNXValueInfo) -> TensorLayout {
        guard input.dims.count == 4 else { return .vector }
        let layoutFree: Set<String> = ["Mul", "Add", "Sub", "Div", "Identity", "Relu", "LeakyRelu"]
        var tensor = input.name
        for _ in 0..<8 {
            guard let next = graph.consumers(of: tensor).first else { break }
            if next.opType == "Transpose", next.attributes["perm"]?.ints == [0, 3, 1, 2] { return .nhwc }
            guard layoutFree.contains(next.opType), let output = next.outputs.first else { break }
            tensor = output
        }
        return .nchw
    }

    static func inputShape(_ input: ONNXValueInfo, layout: TensorLayout, file: String) throws -> Shape {
        func fail(_ message: String) -> ONNXImportError {
            ONNXImportError(.unsupportedShape, file: file, field: "input '\(input.name)'", message: message)
        }
        guard input.dims.count == 4 || input.dims.count == 2 else {
            throw fail("rank \(input.dims.count): expected [N, C, H, W], [N, H, W, C] or [N, features]")
        }
        let sizes = input.dims.dropFirst()
        for (axis, size) in zip(1..., sizes) where size == nil {
            throw fail("dimension \(axis) is dynamic; export with a fixed image size")
        }
        let d = sizes.map { $0 ?? 0 }
        guard d.allSatisfy({ $0 <= 1 << 16 }), d.reduce(1, *) <= 1 << 28 else {
            throw fail("dimensions \(input.dims) are too large for the engine")
        }
        switch layout {
        case .nhwc: return Shape(height: d[0], width: d[1], channels: d[2])
        case .nchw: return Shape(height: d[1], width: d[2], channels: d[0])
        default: return .vector(d[0])
        }
    }

    /// Translates every node, then checks that the graph output is the engine's last node.
    mutating func run() throws -> ImportedModel<T> {
        guard graph.outputs.count == 1, let output = graph.outputs.first else {
            throw ONNXImportError(
                .invalidModel, file: file, field: "graph.output",
                message: "expected one output, found \(graph.outputs.map(\.name))")
        }
        var outputName = output.name
        for node in graph.nodes {
            if ["Softmax", "LogSoftmax"].contains(node.opType), node.outputs == [outputName],
                !node.inputs.isEmpty
            {
                outputName = node.inputs[0]
                note(node, "stripped: the method maps the logits (the Softmax's input)")
                continue
            }
            try translate(node)
        }
        guard let last = graph.nodes.last else {
            throw ONNXImportError(.invalidModel, file: file, message: "no nodes")
        }
        let result = try placed(outputName, for: last)
        guard result.node == network.output else {
            throw ONNXImportError(
                .invalidModel, file: file, field: "graph.output",
                message:
                    "output '\(outputName)' is not the last computed tensor (engine node \(result.node) of \(network.output))"
            )
        }
        return ImportedModel(
            network: network, inputName: inputName, inputLayout: inputLayout, outputName: outputName,
            notes: notes, placements: placements, opset: graph.opset, producer: graph.producer)
    }

    mutating func note(_ node: ONNXNode, _ became: String) {
        notes.append(ImportNote(node: node.name, opType: node.opType, became: became))
    }

    /// Records `placed` as the value of the node's first output.
    mutating func define(_ node: ONNXNode, _ placed: Placed) {
        guard let output = node.outputs.first else { return }
        values[output] = .placed(placed)
        placements[output] = TensorPlacement(node: placed.node, layout: placed.layout)
    }

    /// Adds an engine node, turning the engine's shape errors into errors naming the ONNX node.
    mutating func add(_ name: String, _ operation: Operation<T>, inputs: [Int], for node: ONNXNode) throws
        -> Int
    {
        var unique = name
        var suffix = 1
        while network.node(named: unique) != nil {
            suffix += 1
            unique = "\(name)#\(suffix)"
        }
        do {
            return try network.add(unique, operation, inputs: inputs)
        } catch let error as NetworkError {
            throw node.error(.unsupportedShape, file, error.message)
        }
    }

    /// The constant tensor `tensor` (an initializer or a `Constant` output).
    func constant(_ tensor: String, for node: ONNXNode, field: String) throws -> ONNXTensor {
        guard case .constant(let value)? = values[tensor] else {
            throw node.error(
                .unsupportedOperator, file, field: field, "input '\(tensor)' must be a constant initializer")
        }
        return value
    }

    /// The constant `tensor` as whole numbers (pads, shapes, axes).
    func integerConstant(_ tensor: String, for node: ONNXNode, field: String) throws -> [Int] {
        guard let values = try constant(tensor, for: node, field: field).integers else {
            throw node.error(
                .invalidModel, file, field: field, "input '\(tensor)' holds values that are not integers")
        }
        return values
    }

    /// Whether `tensor` is a constant.
    func isConstant(_ tensor: String) -> Bool {
        if case .constant? = values[tensor] { return true }
        return false
    }

    /// The engine node holding `tensor`, materialising a pending step on first use.
    mutating func placed(_ tensor: String, for node: ONNXNode) throws -> Placed {
        switch values[tensor] {
        case .placed(let placed)?:
            return placed
        case .pending(let pending)?:
            let placed = try materialise(pending, for: node)
            values[tensor] = .placed(placed)
            placements[tensor] = TensorPlacement(node: placed.node, layout: placed.layout)
            return placed
        case .constant?:
            throw node.error(
                .unsupportedOperator, file, field: tensor,
                "input '\(tensor)' is a constant; expected an activation")
        case nil:
            throw node.error(
                .invalidModel, file, field: tensor, "input '\(tensor)' is not produced by an earlier node")
        }
    }
}
