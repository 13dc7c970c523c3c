import BackMap

extension Translator {
    /// `Relu`, `LeakyRelu`, and `PRelu` with one constant slope.
    mutating func rectifier(_ node: ONNXNode) throws {
        try node.checkAttributes(["alpha"], file: file)
        let input = try placed(node.inputs[0], for: node)
        let slope: Double
        switch node.opType {
        case "Relu": slope = 0
        case "Clip": slope = try clipAsReLU(node)
        case "LeakyRelu": slope = try node.float("alpha", default: 0.01, file: file)
        default:
            let slopes = try constant(node.inputs[1], for: node, field: "slope")
            guard let first = slopes.values.first, slopes.values.allSatisfy({ $0 == first }) else {
                throw node.error(
                    .unsupportedShape, file, field: "slope",
                    "\(slopes.count) different slopes; the engine's Leaky ReLU has one slope (nn.PReLU() with num_parameters=1)"
                )
            }
            slope = first
        }
        let operation: Operation<T> = slope == 0 ? .relu : .leakyReLU(slope: T(slope))
        define(
            node,
            Placed(node: try add(node.name, operation, inputs: [input.node], for: node), layout: input.layout)
        )
        note(node, slope == 0 ? "ReLU" : "Leaky ReLU, slope \(slope)")
    }

    /// `Clip` with the bounds `[0, ∞)` is ReLU (slope 0); any other bounds are refused.
    private func clipAsReLU(_ node: ONNXNode) throws -> Double {
        var bounds: [Double?] = [nil, nil]
        for (index, field) in [(1, "min"), (2, "max")]
        where node.inputs.count > index && !node.inputs[index].isEmpty {
            bounds[index - 1] = try constant(node.inputs[index], for: node, field: field).values.first
        }
        let upper = bounds[1] ?? .infinity
        guard bounds[0] == 0, upper == .infinity else {
            throw node.error(
                .unsupportedOperator, file, field: "max",
                "Clip to [\(bounds[0].map { "\($0)" } ?? "-inf"), \(upper)] is not ReLU; the engine has no clipped "
                    + "activation (ReLU6 is not positively homogeneous); see Notebooks/limits.md")
        }
        return 0
    }

    /// Inference-mode batch normalisation (folded into the convolution it follows, if any).
    mutating func batchNormalization(_ node: ONNXNode) throws {
        try node.checkAttributes(["epsilon", "momentum", "training_mode"], file: file)
        guard try node.int("training_mode", default: 0, file: file) == 0 else {
            throw node.error(
                .unsupportedAttribute, file, field: "training_mode", "batch norm in training mode")
        }
        guard node.inputs.count == 5 else {
            throw node.error(.invalidModel, file, field: "inputs", "expected X, scale, B, mean, var")
        }
        let input = try placed(node.inputs[0], for: node)
        let fields = ["scale", "B", "input_mean", "input_var"]
        let vectors = try zip(node.inputs[1...], fields).map {
            try constant($0, for: node, field: $1).values.map { T($0) }
        }
        let epsilon = try node.float("epsilon", default: 1e-5, file: file)
        let bn = BatchNormalization(
            gamma: vectors[0], beta: vectors[1], mean: vectors[2], variance: vectors[3], epsilon: T(epsilon))
        define(
            node,
            Placed(
                node: try add(node.name, .batchNormalization(bn), inputs: [input.node], for: node),
                layout: input.layout))
        note(node, "batch norm, ε \(epsilon) (folded into the convolution it follows alone)")
    }

    /// `Add`, `Sub`, `Mul`, `Div`: of two activations (Add, Sub) a residual sum; with a constant,
    /// an affine step kept pending so that neighbouring steps merge.
    mutating func arithmetic(_ node: ONNXNode) throws {
        try node.checkAttributes([], file: file)
        guard node.inputs.count == 2 else {
            throw node.error(.invalidModel, file, field: "inputs", "expected two inputs")
        }
        let (a, b) = (node.inputs[0], node.inputs[1])
        switch (isConstant(a), isConstant(b)) {
        case (false, false): try sum(node)
        case (true, true):
            throw node.error(
                .unsupportedOperator, file, "both inputs are constants (fold them in the exporter)")
        default: try affineStep(node, constantFirst: isConstant(a))
        }
    }

    private mutating func sum(_ node: ONNXNode) throws {
        guard node.opType == "Add" || node.opType == "Sub" else {
            throw node.error(
                .notPiecewiseLinear, file,
                "\(node.opType) of two activations is not piecewise linear in the input; see Notebooks/limits.md"
            )
        }
        let first = try placed(node.inputs[0], for: node)
        var second = try placed(node.inputs[1], for: node)
        guard first.layout == second.layout else {
            throw node.error(
                .unsupportedShape, file, "inputs in layouts \(first.layout) and \(second.layout)")
        }
        if node.opType == "Sub" {
            second.node = try add("\(node.name).negate", .multiplier(-1), inputs: [second.node], for: node)
        }
        define(
            node,
            Placed(
                node: try add(node.name, .add, inputs: [first.node, second.node], for: node),
                layout: first.layout))
        note(node, node.opType == "Add" ? "add (residual sum)" : "add of the negated second input")
    }

    private mutating func affineStep(_ node: ONNXNode, constantFirst: Bool) throws {
        let activation = constantFirst ? node.inputs[1] : node.inputs[0]
        let tensor = try constant(
            constantFirst ? node.inputs[0] : node.inputs[1], for: node, field: "constant")
        var (base, scale, shift, names): (Placed, [Double], [Double], [String])
        if case .pending(.affine(let b, let s, let t, let n))? = values[activation] {
            (base, scale, shift, names) = (b, s, t, n)
        } else {
            (base, scale, shift, names) = (try placed(activation, for: node), [1], [0], [])
        }
        let c = try channelValues(
            tensor, layout: base.layout, channels: network.nodes[base.node].shape.channels, for: node)
        var (stepScale, stepShift) = ([1.0], [0.0])
        switch (node.opType, constantFirst) {
        case ("Add", _): stepShift = c
        case ("Sub", false): stepShift = c.map { -$0 }
        case ("Sub", true): (stepScale, stepShift) = ([-1], c)
        case ("Mul", _): stepScale = c
        case ("Div", false): stepScale = c.map { 1 / $0 }
        default:
            throw node.error(.notPiecewiseLinear, file, "a constant divided by an activation is not linear")
        }
        scale = broadcast(scale, stepScale, *)
        shift = broadcast(broadcast(shift, stepScale, *), stepShift, +)
        values[node.outputs[0]] = .pending(
            .affine(base: base, scale: scale, shift: shift, nodes: names + [node.name]))
        note(node, "constant affine step x·s + t, merged with the next step (its shift t goes into x_b)")
    }

    /// A constant's values as one scalar or one value per channel of `layout`.
    func channelValues(_ tensor: ONNXTensor, layout: TensorLayout, channels: Int, for node: ONNXNode) throws
        -> [Double]
    {
        if tensor.count == 1 { return tensor.values }
        let rank = layout == .nchw || layout == .nhwc ? 4 : 2
        let dims = Array(repeating: 1, count: max(rank - tensor.dims.count, 0)) + tensor.dims
        let expected: [Int]
        switch layout {
        case .nchw: expected = [1, channels, 1, 1]
        case .nhwc: expected = [1, 1, 1, channels]
        case .vector: expected = [1, channels]
        case .channelMajor: expected = [1]
        }
        guard dims == expected else {
            throw node.error(
                .unsupportedShape, file, field: tensor.name,
                "constant of shape \(tensor.dims) is neither a scalar nor one value per channel of a \(layout) tensor with \(channels) channels"
            )
        }
        return tensor.values
    }

    private func broadcast(_ a: [Double], _ b: [Double], _ combine: (Double, Double) -> Double) -> [Double] {
        let count = max(a.count, b.count)
        return (0..<count).map { combine(a[a.count == 1 ? 0 : $0], b[b.count == 1 ? 0 : $0]) }
    }

    /// `Concat` along the channel axis.
    mutating func concatenate(_ node: ONNXNode) throws {
        try node.checkAttributes(["axis"], file: file)
        let inputs = try node.inputs.map { try placed($0, for: node) }
        let layout = inputs[0].layout
        guard inputs.allSatisfy({ $0.layout == layout }) else {
            throw node.error(.unsupportedShape, file, "inputs in different layouts \(inputs.map(\.layout))")
        }
        var axis = try node.int("axis", default: 1, file: file)
        let rank = layout == .vector ? 2 : 4
        if axis < 0 { axis += rank }
        let channelAxis: Int? =
            switch layout {
            case .nchw, .vector: 1
            case .nhwc: 3
            case .channelMajor: nil
            }
        guard axis == channelAxis else {
            throw node.error(
                .unsupportedAttribute, file, field: "axis",
                "axis \(axis) of a \(layout) tensor is not the channel axis")
        }
        let index = try add(node.name, .concatenate, inputs: inputs.map(\.node), for: node)
        define(node, Placed(node: index, layout: layout))
        note(node, "concatenate \(inputs.count) inputs along channels")
    }

    /// `Transpose` between NHWC and NCHW: no data movement in the engine, only the layout.
    mutating func transpose(_ node: ONNXNode) throws {
        try node.checkAttributes(["perm"], file: file)
        let input = try placed(node.inputs[0], for: node)
        let perm = try node.ints("perm", file: file) ?? []
        let layout: TensorLayout
        switch (input.layout, perm) {
        case (.nhwc, [0, 3, 1, 2]): layout = .nchw
        case (.nchw, [0, 2, 3, 1]): layout = .nhwc
        default:
            throw node.error(
                .unsupportedAttribute, file, field: "perm",
                "perm \(perm) of a \(input.layout) tensor (only NHWC↔NCHW)")
        }
        define(node, Placed(node: input.node, layout: layout))
        note(node, "layout \(input.layout) → \(layout) (no computation)")
    }
}
