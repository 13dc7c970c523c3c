import LinearAlgebra

extension Network {
    /// Runs the original (unfolded) network on one image: batch norm as
    /// `γ (x − μ) / sqrt(σ² + ε) + β`, multipliers and biases as separate steps.
    ///
    /// This is the reference the folded network is tested against; the method itself always
    /// runs on ``FoldedNetwork``.
    ///
    /// - Returns: The output of every node, HWC.
    public func evaluate(_ image: [T]) throws -> [[T]] {
        guard image.count == inputShape.count else {
            throw BackMapError.invalidArgument(
                "image has \(image.count) values, the network expects \(inputShape.count)")
        }
        var values = [[T]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            let inputs = node.inputs.map { values[$0] }
            let inputShape = node.inputs.first.map { nodes[$0].shape }
            switch node.operation {
            case .input:
                values[index] = image
            case .convolution(let conv):
                guard let shape = inputShape,
                    let geometry = WindowGeometry(
                        input: shape, kernelHeight: conv.kernelHeight, kernelWidth: conv.kernelWidth,
                        stride: conv.stride, padding: conv.padding)
                else { throw NetworkError(node: node.name, message: "kernel does not fit") }
                var result = Kernels.convolve(
                    inputs[0], batch: 1, geometry: geometry, kernel: conv.kernel,
                    outChannels: conv.outChannels)
                if let bias = conv.bias {
                    for i in result.indices { result[i] += bias[i % conv.outChannels] }
                }
                values[index] = result
            case .channelBias(let bias):
                values[index] = inputs[0].enumerated().map { $0.element + bias[$0.offset % bias.count] }
            case .scalarBias(let bias):
                values[index] = inputs[0].map { $0 + bias }
            case .multiplier(let factor):
                values[index] = inputs[0].map { $0 * factor }
            case .batchNormalization(let bn):
                let channels = bn.gamma.count
                values[index] = inputs[0].enumerated().map { i, x in
                    let c = i % channels
                    return bn.gamma[c] * (x - bn.mean[c]) / (bn.variance[c] + bn.epsilon).squareRoot()
                        + bn.beta[c]
                }
            case .relu:
                values[index] = inputs[0].map { max($0, 0) }
            case .leakyReLU(let slope):
                values[index] = inputs[0].map { $0 > 0 ? $0 : slope * $0 }
            case .averagePool(let window, let stride, let padding),
                .maxPool(let window, let stride, let padding):
                guard let shape = inputShape,
                    let geometry = WindowGeometry(
                        input: shape, kernelHeight: window, kernelWidth: window, stride: stride,
                        padding: padding)
                else { throw NetworkError(node: node.name, message: "pool does not fit") }
                if case .maxPool = node.operation {
                    values[index] = Kernels.maxPool(inputs[0], geometry: geometry).values
                } else {
                    values[index] = Kernels.averagePool(inputs[0], batch: 1, geometry: geometry)
                }
            case .globalAveragePool:
                guard let shape = inputShape else { continue }
                values[index] = Kernels.globalAveragePool(inputs[0], batch: 1, shape: shape)
            case .channelPadding(let extra):
                guard let shape = inputShape else { continue }
                values[index] = Kernels.interleave(
                    [inputs[0]], channels: [shape.channels], offsets: [0],
                    outChannels: shape.channels + extra, positions: shape.positions, batch: 1)
            case .add:
                var sum = inputs[0]
                for other in inputs.dropFirst() { Kernels.accumulate(&sum, other) }
                values[index] = sum
            case .concatenate:
                let channels = node.inputs.map { nodes[$0].shape.channels }
                let offsets = channels.indices.map { channels[..<$0].reduce(0, +) }
                values[index] = Kernels.interleave(
                    inputs.map { Optional($0) }, channels: channels, offsets: offsets,
                    outChannels: node.shape.channels, positions: node.shape.positions, batch: 1)
            case .flatten:
                values[index] = inputs[0]
            case .dense(let dense):
                var result = Kernels.dense(
                    inputs[0], batch: 1, weight: dense.weight, inFeatures: dense.inFeatures,
                    outFeatures: dense.outFeatures)
                if let bias = dense.bias {
                    for i in result.indices { result[i] += bias[i] }
                }
                values[index] = result
            case .inputAffine(let scale, let shift):
                let channels = scale.count
                values[index] = inputs[0].enumerated().map {
                    $0.element * scale[$0.offset % channels] + shift[$0.offset % channels]
                }
            }
        }
        return values
    }

    /// Folds the network for analysis (see ``FoldedNetwork/init(folding:)``).
    public func folded() throws -> FoldedNetwork<T> {
        try FoldedNetwork(folding: self)
    }
}
