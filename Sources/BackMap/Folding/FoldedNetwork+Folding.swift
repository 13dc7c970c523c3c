import LinearAlgebra

extension FoldedNetwork {
    /// Folds a network (NOTES.md §2): batch norm and scalar multipliers that directly follow a
    /// convolution (as its only consumer) go into its kernel and bias; every remaining affine
    /// shift becomes a bias node reading `x_b`.
    ///
    /// A bias added before a zero-padded operation stays a separate node, so the padded border
    /// stays zero exactly as TensorFlow computes it.
    public init(folding network: Network<T>) throws {
        _ = Engine.configuration  // applies the detected configuration unless one was set
        var builder = Builder(network: network)
        try builder.run()
        nodes = builder.nodes
        biasValues = builder.biasValues
        biasEntries = builder.biasEntries
        layers = []
        lastUse = []
        finishLayers()
    }

    mutating func finishLayers() {
        for (index, node) in nodes.enumerated() {
            // With few input channels (conv0: RGB) the flipped-kernel product would be a GEMM
            // with n = 3 columns, which runs far below peak; the scatter form (n = kh·kw·c_in)
            // is faster there (VGG7 conv0's adjoint: 132 µs flipped).
            if case .convolution(let kernel, let geometry, let outChannels) = node.operation,
                geometry.input.channels >= TransposedConvolution<T>.minimumOutChannels,
                let transposed = TransposedConvolution(
                    kernel: kernel, geometry: geometry, outChannels: outChannels)
            {
                transposedConvolutions[index] = transposed
            }
        }
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for input in node.inputs { consumers[input].append(index) }
        }
        lastUse = consumers.enumerated().map { $0.element.max() ?? $0.offset }
        for (index, node) in nodes.enumerated() {
            let kind: Layer.Kind
            switch node.operation {
            case .convolution: kind = .convolution
            case .dense: kind = .dense
            default: continue
            }
            var layer = Layer(
                index: layers.count, name: node.name, kind: kind, shape: node.shape,
                inputShape: nodes[node.inputs[0]].shape, ownBias: nil, ownBiasIsScalar: false,
                node: index, ownBiasNode: nil)
            if consumers[index].count == 1, let next = consumers[index].first,
                case .bias(let offset, let count) = nodes[next].operation
            {
                layer.ownBias = offset..<(offset + count)
                layer.ownBiasIsScalar = count == 1 && node.shape.channels != 1
                layer.ownBiasNode = next
                for entry in offset..<(offset + count) { biasEntries[entry].layer = node.name }
            }
            layers.append(layer)
        }
    }

    private struct Builder {
        let network: Network<T>
        var nodes: [FoldedNode<T>] = []
        var biasValues: [T] = []
        var biasEntries: [BiasEntry] = []
        var map: [Int]
        var absorbed = Set<Int>()

        init(network: Network<T>) {
            self.network = network
            map = Array(repeating: -1, count: network.nodes.count)
        }

        mutating func append(_ name: String, _ op: FoldedOperation<T>, _ inputs: [Int], _ shape: Shape)
            -> Int
        {
            nodes.append(FoldedNode(name: name, operation: op, inputs: inputs, shape: shape))
            return nodes.count - 1
        }

        mutating func appendBias(_ source: String, _ values: [T], perChannel: Bool, input: Int)
            -> Int
        {
            let offset = biasValues.count
            biasValues += values
            for (channel, _) in values.enumerated() {
                biasEntries.append(
                    BiasEntry(source: source, layer: nil, channel: perChannel ? channel : nil))
            }
            return append(
                source, .bias(offset: offset, count: values.count), [input], nodes[input].shape)
        }

        mutating func run() throws {
            for (index, node) in network.nodes.enumerated() where !absorbed.contains(index) {
                let inputs = node.inputs.map { map[$0] }
                let inputShape = inputs.first.map { nodes[$0].shape }
                switch node.operation {
                case .input:
                    map[index] = append(node.name, .input, [], node.shape)
                case .convolution(let conv):
                    try foldConvolution(index, conv, input: inputs[0])
                case .dense(let dense):
                    var result = append(
                        node.name,
                        .dense(
                            weight: dense.weight, inFeatures: dense.inFeatures,
                            outFeatures: dense.outFeatures),
                        inputs, node.shape)
                    if let bias = dense.bias {
                        result = appendBias("\(node.name).bias", bias, perChannel: true, input: result)
                    }
                    map[index] = result
                case .channelBias(let values):
                    map[index] = appendBias(node.name, values, perChannel: true, input: inputs[0])
                case .scalarBias(let value):
                    map[index] = appendBias(node.name, [value], perChannel: false, input: inputs[0])
                case .multiplier(let factor):
                    let channels = inputShape?.channels ?? 1
                    map[index] = append(
                        node.name, .channelScale(Array(repeating: factor, count: channels)),
                        inputs, node.shape)
                case .batchNormalization(let bn):
                    let factors = bn.factors
                    let scaled = append(
                        "\(node.name).scale", .channelScale(factors), inputs, node.shape)
                    let shifts = factors.indices.map { bn.beta[$0] - bn.mean[$0] * factors[$0] }
                    map[index] = appendBias(node.name, shifts, perChannel: true, input: scaled)
                case .relu:
                    map[index] = append(node.name, .rectifier(negativeSlope: 0), inputs, node.shape)
                case .leakyReLU(let slope):
                    map[index] = append(
                        node.name, .rectifier(negativeSlope: slope), inputs, node.shape)
                case .averagePool(let window, let stride, let padding),
                    .maxPool(let window, let stride, let padding):
                    guard let shape = inputShape,
                        let geometry = WindowGeometry(
                            input: shape, kernelHeight: window, kernelWidth: window,
                            stride: stride, padding: padding)
                    else { throw NetworkError(node: node.name, message: "pool does not fit") }
                    if case .maxPool = node.operation {
                        map[index] = append(node.name, .maxPool(geometry), inputs, node.shape)
                    } else {
                        map[index] = append(node.name, .averagePool(geometry), inputs, node.shape)
                    }
                case .globalAveragePool:
                    map[index] = append(node.name, .globalAveragePool, inputs, node.shape)
                case .channelPadding(let extra):
                    map[index] = append(node.name, .channelPadding(extra: extra), inputs, node.shape)
                case .add:
                    map[index] = append(node.name, .add, inputs, node.shape)
                case .concatenate:
                    map[index] = append(node.name, .concatenate, inputs, node.shape)
                case .flatten:
                    map[index] = append(node.name, .flatten, inputs, node.shape)
                case .inputAffine(let scale, let shift):
                    let scaled = append(
                        "\(node.name).scale", .channelScale(scale), inputs, node.shape)
                    map[index] = appendBias(node.name, shift, perChannel: true, input: scaled)
                }
            }
        }

        /// Folds the chain of single-consumer batch norms and multipliers after a convolution.
        mutating func foldConvolution(_ index: Int, _ conv: Convolution<T>, input: Int) throws {
            let node = network.nodes[index]
            var kernel = conv.kernel
            var bias = conv.bias
            var biasSource = "\(node.name).bias"
            var last = index
            let outChannels = conv.outChannels
            chain: while true {
                let consumers = network.consumers(of: last)
                guard consumers.count == 1, let next = consumers.first else { break }
                switch network.nodes[next].operation {
                case .batchNormalization(let bn):
                    let factors = bn.factors
                    for i in kernel.indices { kernel[i] *= factors[i % outChannels] }
                    bias = (0..<outChannels).map {
                        ((bias?[$0] ?? 0) - bn.mean[$0]) * factors[$0] + bn.beta[$0]
                    }
                    biasSource = network.nodes[next].name
                case .multiplier(let factor):
                    for i in kernel.indices { kernel[i] *= factor }
                    bias = bias.map { $0.map { $0 * factor } }
                default:
                    break chain
                }
                absorbed.insert(next)
                last = next
            }
            guard
                let geometry = WindowGeometry(
                    input: nodes[input].shape, kernelHeight: conv.kernelHeight,
                    kernelWidth: conv.kernelWidth, stride: conv.stride, padding: conv.padding)
            else { throw NetworkError(node: node.name, message: "kernel does not fit its input") }
            var result = append(
                node.name,
                .convolution(kernel: kernel, geometry: geometry, outChannels: outChannels),
                [input], node.shape)
            if let bias {
                result = appendBias(biasSource, bias, perChannel: true, input: result)
            }
            map[index] = result
            for absorbedIndex in absorbed where map[absorbedIndex] < 0 {
                map[absorbedIndex] = result
            }
        }
    }
}
