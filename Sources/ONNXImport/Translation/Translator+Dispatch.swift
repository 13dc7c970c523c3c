import BackMap

/// Activations the method cannot analyse: its identity needs piecewise-linear units.
let nonPiecewiseLinearOperators: Set<String> = [
    "Tanh", "Sigmoid", "Gelu", "Erf", "Elu", "Selu", "Celu", "Softplus", "Softsign", "HardSigmoid",
    "HardSwish", "Mish", "Exp", "Log", "Sqrt", "Pow", "Reciprocal", "Sin", "Cos", "Softmax", "LogSoftmax",
]

/// Inputs an operator cannot do without (1 where not listed).
private let requiredInputs: [String: Int] = [
    "Constant": 0, "Conv": 2, "BatchNormalization": 5, "PRelu": 2, "Reshape": 2, "Gemm": 2, "MatMul": 2,
    "Add": 2, "Sub": 2, "Mul": 2, "Div": 2, "Pad": 2,
]

extension Translator {
    /// Translates one node (the operator table of docs/ONNX.md).
    mutating func translate(_ node: ONNXNode) throws {
        let required = requiredInputs[node.opType] ?? 1
        guard node.inputs.count >= required, node.inputs.prefix(required).allSatisfy({ !$0.isEmpty }),
            let output = node.outputs.first, !output.isEmpty
        else {
            throw node.error(
                .invalidModel, file, field: "inputs",
                "\(node.inputs.count) inputs and \(node.outputs.count) outputs; \(node.opType) needs \(required) and 1"
            )
        }
        switch node.opType {
        case "Conv": try convolution(node)
        case "BatchNormalization": try batchNormalization(node)
        case "Relu", "LeakyRelu", "PRelu", "Clip": try rectifier(node)
        case "MaxPool", "AveragePool": try pool(node)
        case "GlobalAveragePool", "ReduceMean": try globalAveragePool(node)
        case "Add", "Sub", "Mul", "Div": try arithmetic(node)
        case "Concat": try concatenate(node)
        case "Flatten", "Reshape": try flatten(node)
        case "Gemm", "MatMul": try dense(node)
        case "Identity", "Dropout": try alias(node)
        case "Pad": try pad(node)
        case "Transpose": try transpose(node)
        case "Constant": try constantNode(node)
        case let op where nonPiecewiseLinearOperators.contains(op):
            let why =
                op.hasSuffix("Softmax")
                ? "is only accepted as the graph's last node (it is then stripped: the method maps logits)"
                : "is not piecewise linear"
            throw node.error(
                .notPiecewiseLinear, file,
                "\(op) \(why): the identity c = ⟨x|H^I⟩ + ⟨x_b|H^b⟩ needs piecewise-linear, positively "
                    + "homogeneous activations (ReLU, Leaky ReLU, max pooling); see Notebooks/limits.md")
        default:
            throw node.error(
                .unsupportedOperator, file,
                "operator \(node.opType) is not translated (docs/ONNX.md lists the supported operators)")
        }
    }

    /// Identity and inference-mode Dropout: the output is the input.
    mutating func alias(_ node: ONNXNode) throws {
        try node.checkAttributes(["ratio", "seed"], file: file)
        if node.opType == "Dropout", node.inputs.count > 2, !node.inputs[2].isEmpty {
            let training = try constant(node.inputs[2], for: node, field: "training_mode")
            guard training.values.allSatisfy({ $0 == 0 }) else {
                throw node.error(
                    .unsupportedAttribute, file, field: "training_mode", "Dropout in training mode")
            }
        }
        if node.outputs.count > 1, !node.outputs[1].isEmpty, !graph.consumers(of: node.outputs[1]).isEmpty {
            throw node.error(.unsupportedOperator, file, field: "mask", "Dropout's mask output is read")
        }
        guard let input = node.inputs.first, let output = node.outputs.first else { return }
        values[output] = values[input]
        if let placement = placements[input] { placements[output] = placement }
        note(node, "alias (no computation)")
    }

    /// `Constant`: a value for later nodes.
    mutating func constantNode(_ node: ONNXNode) throws {
        guard let output = node.outputs.first else { return }
        if let tensor = try node.tensor("value", file: file) {
            values[output] = .constant(tensor)
        } else if let value = node.attributes["value_float"] {
            values[output] = .constant(ONNXTensor(name: output, dims: [], values: [Double(value.f)]))
        } else if let value = node.attributes["value_floats"] {
            values[output] = .constant(
                ONNXTensor(name: output, dims: [value.floats.count], values: value.floats.map(Double.init)))
        } else if let value = node.attributes["value_int"] {
            values[output] = .constant(ONNXTensor(name: output, dims: [], values: [Double(value.i)]))
        } else if let value = node.attributes["value_ints"] {
            values[output] = .constant(
                ONNXTensor(name: output, dims: [value.ints.count], values: value.ints.map(Double.init)))
        } else {
            throw node.error(
                .unsupportedAttribute, file, field: node.attributes.keys.sorted().first, "no numeric value")
        }
        note(node, "constant")
    }

    /// Materialises a pending step as engine nodes.
    mutating func materialise(_ pending: Pending, for consumer: ONNXNode) throws -> Placed {
        switch pending {
        case .affine(let base, let scale, let shift, let names):
            return try materialiseAffine(
                base: base, scale: scale, shift: shift, name: names.last ?? "affine", for: consumer)
        case .pad(let base, let pads, let name):
            // A zero pad read by something other than a convolution: a 1×1 identity convolution
            // with the padding (exact; it adds an analysis layer).
            let channels = network.nodes[base.node].shape.channels
            var kernel = [T](repeating: 0, count: channels * channels)
            for channel in 0..<channels { kernel[channel * channels + channel] = 1 }
            let convolution = Convolution(
                kernel: kernel, kernelHeight: 1, kernelWidth: 1, inChannels: channels, outChannels: channels,
                padding: .explicit(top: pads[0], bottom: pads[1], left: pads[2], right: pads[3]))
            let index = try add(name, .convolution(convolution), inputs: [base.node], for: consumer)
            let words =
                "1×1 identity convolution with padding \(pads) (read by \(consumer.name), not a convolution)"
            if let noted = notes.firstIndex(where: { $0.node == name }) { notes[noted].became = words }
            return Placed(node: index, layout: base.layout)
        }
    }

    private mutating func materialiseAffine(
        base: Placed, scale: [Double], shift: [Double], name: String, for consumer: ONNXNode
    ) throws -> Placed {
        let channels = network.nodes[base.node].shape.channels
        var current = base.node
        var made = [String]()
        if scale.count == 1 {
            if scale[0] != 1 {
                current = try add("\(name).scale", .multiplier(T(scale[0])), inputs: [current], for: consumer)
                made.append("multiplier \(scale[0])")
            }
            if shift.count == 1, shift[0] != 0 {
                current = try add(name, .scalarBias(T(shift[0])), inputs: [current], for: consumer)
                made.append("scalar bias \(shift[0]) (1 x_b entry)")
            } else if shift.count > 1 {
                current = try add(name, .channelBias(shift.map { T($0) }), inputs: [current], for: consumer)
                made.append("channel bias (\(shift.count) x_b entries)")
            }
        } else {
            let shifts = shift.count == 1 ? Array(repeating: shift[0], count: channels) : shift
            current = try add(
                name, .inputAffine(scale: scale.map { T($0) }, shift: shifts.map { T($0) }),
                inputs: [current],
                for: consumer)
            made.append("input affine: channel scale and \(channels) x_b entries")
        }
        if let noted = notes.lastIndex(where: { $0.node == name }) {
            notes[noted].became =
                "constant affine step, merged with the steps before it into: "
                + (made.isEmpty ? "nothing (the identity)" : made.joined(separator: ", "))
        }
        return Placed(node: current, layout: base.layout)
    }
}
