import BackMap

extension Translator {
    /// `Conv`: OIHW weights to the engine's HWIO; dilation becomes zeros inside the kernel and
    /// groups a block-diagonal kernel (both exact, the engine runs an ordinary convolution).
    mutating func convolution(_ node: ONNXNode) throws {
        try node.checkAttributes(
            ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"], file: file)
        let (input, extra) = try convolutionInput(node)
        guard node.inputs.count >= 2 else {
            throw node.error(.invalidModel, file, field: "W", "missing weight")
        }
        let weight = try constant(node.inputs[1], for: node, field: "W")
        guard weight.dims.count == 4 else {
            throw node.error(
                .unsupportedShape, file, field: "W",
                "rank \(weight.dims.count); expected [out, in/group, kh, kw] (2-D convolution)")
        }
        let shape = network.nodes[input.node].shape
        let group = try node.int("group", default: 1, file: file)
        let (outChannels, perGroup, kh, kw) = (weight.dims[0], weight.dims[1], weight.dims[2], weight.dims[3])
        guard group >= 1, perGroup * group == shape.channels, outChannels % group == 0 else {
            throw node.error(
                .unsupportedShape, file, field: "group",
                "group \(group) with weight \(weight.dims) does not fit \(shape.channels) input channels")
        }
        if let declared = try node.ints("kernel_shape", file: file), declared != [kh, kw] {
            throw node.error(
                .unsupportedShape, file, field: "kernel_shape", "\(declared) but the weight is \(kh)×\(kw)")
        }
        let dilations = try node.ints("dilations", default: [1, 1], file: file) ?? [1, 1]
        guard dilations.count == 2, dilations.allSatisfy({ (1...maximumPadding).contains($0) }) else {
            throw node.error(
                .unsupportedAttribute, file, field: "dilations", "\(dilations): expected two positive values")
        }
        let stride = try node.squarePair("strides", default: 1, file: file)
        let kernel = (height: (kh - 1) * dilations[0] + 1, width: (kw - 1) * dilations[1] + 1)
        guard kernel.height * kernel.width * shape.channels * outChannels <= 1 << 28 else {
            throw node.error(
                .unsupportedShape, file, field: "dilations", "the dilated kernel would be too large")
        }
        let padding = try windowPadding(node, input: shape, kernel: kernel, stride: stride, extra: extra)
        let bias = try convolutionBias(node, outChannels: outChannels)
        let hwio = Self.hwioKernel(weight, group: group, dilations: dilations, inChannels: shape.channels)
        let convolution = Convolution(
            kernel: hwio, kernelHeight: kernel.height, kernelWidth: kernel.width, inChannels: shape.channels,
            outChannels: outChannels, stride: stride, padding: padding, bias: bias)
        let index = try add(node.name, .convolution(convolution), inputs: [input.node], for: node)
        define(node, Placed(node: index, layout: .nchw))
        var words =
            "convolution \(kh)×\(kw), \(shape.channels)→\(outChannels), stride \(stride), padding \(padding)"
        if dilations != [1, 1] {
            words += ", dilation \(dilations) as a \(kernel.height)×\(kernel.width) kernel"
        }
        if group > 1 { words += ", \(group) groups as a block-diagonal kernel" }
        note(node, words)
    }

    /// The NCHW input of a convolution and the zeros of a `Pad` it absorbs (top, bottom, left, right).
    private mutating func convolutionInput(_ node: ONNXNode) throws -> (Placed, [Int]) {
        var (input, extra) = (Placed(node: 0, layout: .nchw), [0, 0, 0, 0])
        if case .pending(.pad(let base, let pads, _))? = values[node.inputs[0]] {
            (input, extra) = (base, pads)
        } else {
            input = try placed(node.inputs[0], for: node)
        }
        guard input.layout == .nchw else {
            throw node.error(
                .unsupportedShape, file, field: "X", "Conv reads a \(input.layout) tensor; expected NCHW")
        }
        return (input, extra)
    }

    /// The optional bias input `B`, one value per output channel.
    private func convolutionBias(_ node: ONNXNode, outChannels: Int) throws -> [T]? {
        guard node.inputs.count > 2, !node.inputs[2].isEmpty else { return nil }
        let values = try constant(node.inputs[2], for: node, field: "B").values
        guard values.count == outChannels else {
            throw node.error(
                .unsupportedShape, file, field: "B", "\(values.count) biases for \(outChannels) channels")
        }
        return values.map { T($0) }
    }

    /// ONNX `[out, in/group, kh, kw]` → engine `[kh', kw', in, out]` with dilation zeros.
    static func hwioKernel(_ weight: ONNXTensor, group: Int, dilations: [Int], inChannels: Int) -> [T] {
        let (outChannels, perGroup, kh, kw) = (weight.dims[0], weight.dims[1], weight.dims[2], weight.dims[3])
        let (height, width) = ((kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1)
        let outPerGroup = outChannels / group
        var kernel = [T](repeating: 0, count: height * width * inChannels * outChannels)
        for out in 0..<outChannels {
            let firstIn = (out / outPerGroup) * perGroup
            for local in 0..<perGroup {
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        let source = ((out * perGroup + local) * kh + ky) * kw + kx
                        let position = ky * dilations[0] * width + kx * dilations[1]
                        kernel[(position * inChannels + firstIn + local) * outChannels + out] = T(
                            weight.values[source])
                    }
                }
            }
        }
        return kernel
    }
}
