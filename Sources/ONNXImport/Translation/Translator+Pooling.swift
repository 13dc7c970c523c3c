import BackMap

extension Translator {
    /// `MaxPool` and `AveragePool` on square windows. An average pool that counts padded zeros
    /// (`count_include_pad = 1` with padding) or has a non-square window becomes a convolution
    /// with the fixed kernel `1/(kh·kw)` on the diagonal (exact; it is then an analysis layer).
    mutating func pool(_ node: ONNXNode) throws {
        let (input, window) = try poolInputAndWindow(node)
        let shape = network.nodes[input.node].shape
        let stride = try node.squarePair("strides", default: 1, file: file)
        let padding = try windowPadding(node, input: shape, kernel: (window[0], window[1]), stride: stride)
        let countsPadding =
            try node.int("count_include_pad", default: 0, file: file) == 1 && padding != .valid
        let operation: Operation<T>
        if node.opType == "AveragePool", countsPadding || window[0] != window[1] {
            guard window[0] * window[1] * shape.channels * shape.channels <= 1 << 28 else {
                throw node.error(
                    .unsupportedShape, file, field: "kernel_shape", "window \(window) is too large")
            }
            operation = .convolution(
                Self.averagingConvolution(
                    window: window, channels: shape.channels, stride: stride, padding: padding))
            note(
                node,
                "average pool \(window[0])×\(window[1]) counting the padding \(padding): convolution with a fixed 1/\(window[0] * window[1]) kernel"
            )
        } else {
            guard window[0] == window[1] else {
                throw node.error(
                    .unsupportedAttribute, file, field: "kernel_shape",
                    "max pooling window \(window) is not square")
            }
            let max = node.opType == "MaxPool"
            operation =
                max
                ? .maxPool(window: window[0], stride: stride, padding: padding)
                : .averagePool(window: window[0], stride: stride, padding: padding)
            note(
                node,
                "\(max ? "max" : "average") pool \(window[0])×\(window[0]), stride \(stride), padding \(padding)"
            )
        }
        define(
            node, Placed(node: try add(node.name, operation, inputs: [input.node], for: node), layout: .nchw))
    }

    /// The checks of a pooling node's attributes and outputs: its NCHW input and its 2-D window.
    private mutating func poolInputAndWindow(_ node: ONNXNode) throws -> (input: Placed, window: [Int]) {
        try node.checkAttributes(
            [
                "auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides",
                "storage_order",
            ],
            file: file)
        let input = try placed(node.inputs[0], for: node)
        guard input.layout == .nchw else {
            throw node.error(
                .unsupportedShape, file, field: "X",
                "\(node.opType) reads a \(input.layout) tensor; expected NCHW")
        }
        guard let window = try node.ints("kernel_shape", file: file), window.count == 2,
            window.allSatisfy({ (1...maximumPadding).contains($0) })
        else {
            throw node.error(.unsupportedShape, file, field: "kernel_shape", "expected a 2-D window")
        }
        guard (try node.ints("dilations", file: file) ?? [1, 1]).allSatisfy({ $0 == 1 }) else {
            throw node.error(
                .unsupportedAttribute, file, field: "dilations", "dilated pooling is not supported")
        }
        if node.outputs.count > 1, !node.outputs[1].isEmpty, !graph.consumers(of: node.outputs[1]).isEmpty {
            throw node.error(.unsupportedOperator, file, field: "Indices", "MaxPool's Indices output is read")
        }
        return (input, window)
    }

    static func averagingConvolution(window: [Int], channels: Int, stride: Int, padding: Padding)
        -> Convolution<T>
    {
        let positions = window[0] * window[1]
        var kernel = [T](repeating: 0, count: positions * channels * channels)
        let weight = 1 / T(positions)
        for position in 0..<positions {
            for channel in 0..<channels {
                kernel[(position * channels + channel) * channels + channel] = weight
            }
        }
        return Convolution(
            kernel: kernel, kernelHeight: window[0], kernelWidth: window[1], inChannels: channels,
            outChannels: channels,
            stride: stride, padding: padding)
    }

    /// `GlobalAveragePool`, and `ReduceMean` over the two spatial axes.
    mutating func globalAveragePool(_ node: ONNXNode) throws {
        let input = try placed(node.inputs[0], for: node)
        var layout = input.layout
        if node.opType == "ReduceMean" {
            try node.checkAttributes(["axes", "keepdims", "noop_with_empty_axes"], file: file)
            var axes = try node.ints("axes", file: file) ?? []
            if node.inputs.count > 1, !node.inputs[1].isEmpty {
                axes = try integerConstant(node.inputs[1], for: node, field: "axes")
            }
            let spatial: [Int]
            switch input.layout {
            case .nchw: spatial = [2, 3]
            case .nhwc: spatial = [1, 2]
            default: throw node.error(.unsupportedShape, file, "ReduceMean of a \(input.layout) tensor")
            }
            guard axes.map({ $0 < 0 ? $0 + 4 : $0 }).sorted() == spatial else {
                throw node.error(
                    .unsupportedAttribute, file, field: "axes",
                    "axes \(axes) are not the spatial axes \(spatial) of a \(input.layout) map")
            }
            if try node.int("keepdims", default: 1, file: file) == 0 { layout = .vector }
        } else {
            try node.checkAttributes([], file: file)
            guard input.layout == .nchw || input.layout == .nhwc else {
                throw node.error(.unsupportedShape, file, "GlobalAveragePool of a \(input.layout) tensor")
            }
        }
        define(
            node,
            Placed(
                node: try add(node.name, .globalAveragePool, inputs: [input.node], for: node), layout: layout)
        )
        note(node, "global average pool")
    }
}
