import BackMap

extension Translator {
    /// `Flatten` (axis 1) and `Reshape` to `[batch, features]`. An NCHW map flattens in ONNX's
    /// C·H·W order, which the next dense layer absorbs by permuting its weight rows.
    mutating func flatten(_ node: ONNXNode) throws {
        let input = try placed(node.inputs[0], for: node)
        let shape = network.nodes[input.node].shape
        if node.opType == "Flatten" {
            try node.checkAttributes(["axis"], file: file)
            guard try node.int("axis", default: 1, file: file) == 1 else {
                throw node.error(
                    .unsupportedAttribute, file, field: "axis", "only axis 1 (keep the batch) is supported")
            }
        } else {
            try node.checkAttributes(["allowzero"], file: file)
            let target = try integerConstant(node.inputs[1], for: node, field: "shape")
            guard target.count == 2, [1, -1, 0].contains(target[0]),
                target[1] == -1 || target[1] == shape.count
            else {
                throw node.error(
                    .unsupportedShape, file, field: "shape",
                    "reshape to \(target): only [batch, \(shape.count)] (a flatten) is supported")
            }
        }
        let layout: TensorLayout
        switch input.layout {
        case .nchw: layout = shape.positions == 1 ? .vector : .channelMajor(shape)
        case .nhwc, .vector: layout = .vector
        case .channelMajor: layout = input.layout
        }
        if input.layout == layout {
            define(node, input)
            note(node, "alias (already a vector)")
            return
        }
        define(
            node, Placed(node: try add(node.name, .flatten, inputs: [input.node], for: node), layout: layout))
        note(node, "flatten \(shape) → \(shape.count), ONNX order \(layout)")
    }

    /// `Gemm` (`alpha · A · op(B) + beta · C`) and `MatMul` by a constant matrix: a dense layer.
    mutating func dense(_ node: ONNXNode) throws {
        try node.checkAttributes(
            node.opType == "Gemm" ? ["alpha", "beta", "transA", "transB"] : [], file: file)
        let input = try placed(node.inputs[0], for: node)
        let shape = network.nodes[input.node].shape
        let order: [Int]
        switch input.layout {
        case .vector: order = Array(0..<shape.count)
        case .channelMajor(let source): order = input.layout.engineIndices(shape: source)
        default:
            throw node.error(
                .unsupportedShape, file, field: "A",
                "\(node.opType) reads a \(input.layout) map; flatten it first")
        }
        guard try node.int("transA", default: 0, file: file) == 0 else {
            throw node.error(.unsupportedAttribute, file, field: "transA", "transA = 1 is not supported")
        }
        let b = try constant(node.inputs[1], for: node, field: "B")
        let transposed = try node.int("transB", default: 0, file: file) == 1
        guard b.dims.count == 2, b.dims[transposed ? 1 : 0] == shape.count else {
            throw node.error(
                .unsupportedShape, file, field: "B", "weight \(b.dims) does not fit \(shape.count) inputs")
        }
        let outputs = b.dims[transposed ? 0 : 1]
        let alpha = try node.float("alpha", default: 1, file: file)
        var weight = [T](repeating: 0, count: shape.count * outputs)
        for (row, engineRow) in order.enumerated() {
            for column in 0..<outputs {
                let value =
                    transposed ? b.values[column * shape.count + row] : b.values[row * outputs + column]
                weight[engineRow * outputs + column] = T(alpha * value)
            }
        }
        var bias: [T]?
        if node.inputs.count > 2, !node.inputs[2].isEmpty {
            let c = try constant(node.inputs[2], for: node, field: "C")
            guard c.count == 1 || c.count == outputs else {
                throw node.error(
                    .unsupportedShape, file, field: "C", "\(c.dims) does not broadcast to \(outputs) outputs")
            }
            let beta = try node.float("beta", default: 1, file: file)
            bias = (0..<outputs).map { T(beta * c.values[c.count == 1 ? 0 : $0]) }
        }
        let layer = Dense(weight: weight, inFeatures: shape.count, outFeatures: outputs, bias: bias)
        define(
            node,
            Placed(node: try add(node.name, .dense(layer), inputs: [input.node], for: node), layout: .vector))
        note(node, "dense \(shape.count)→\(outputs)\(bias == nil ? "" : " with bias")")
    }
}
