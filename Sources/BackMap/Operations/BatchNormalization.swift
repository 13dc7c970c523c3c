import LinearAlgebra

/// The parameters of a batch-normalisation layer in inference mode, stored unfolded.
public struct BatchNormalization<T: BLASScalar>: Sendable {
    /// Scale γ per channel.
    public var gamma: [T]
    /// Shift β per channel.
    public var beta: [T]
    /// Moving mean μ per channel.
    public var mean: [T]
    /// Moving variance σ² per channel.
    public var variance: [T]
    /// The ε added to the variance (TensorFlow 0.001, PyTorch 1e-5).
    public var epsilon: T

    /// Creates batch-norm parameters; all vectors must have one entry per channel.
    public init(gamma: [T], beta: [T], mean: [T], variance: [T], epsilon: T) {
        self.gamma = gamma
        self.beta = beta
        self.mean = mean
        self.variance = variance
        self.epsilon = epsilon
    }

    /// The per-channel factor `γ / sqrt(σ² + ε)` (NOTES.md Eq. 7).
    var factors: [T] {
        (0..<gamma.count).map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
    }
}

extension Operation {
    /// Batch normalisation in inference mode (folded into the preceding convolution).
    public static func batchNormalization(_ parameters: BatchNormalization<T>) -> Operation {
        Operation(parameters)
    }
}

extension BatchNormalization: KernelAbsorbable {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        let input = try NetworkError.singleInput(inputs, node: node)
        let counts = [gamma.count, beta.count, mean.count, variance.count]
        guard counts.allSatisfy({ $0 == input.channels }) else {
            throw NetworkError(
                node: node,
                message: "batch-norm vectors have \(counts) entries for \(input.channels) channels")
        }
        return input
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        let channels = gamma.count
        return inputs[0].enumerated().map { i, x in
            let c = i % channels
            return gamma[c] * (x - mean[c]) / (variance[c] + epsilon).squareRoot() + beta[c]
        }
    }

    /// A batch norm not absorbed into a convolution: a channel scale, then a bias node.
    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        let node = builder.network.nodes[index]
        let factors = self.factors
        let scaled = builder.append(
            "\(node.name).scale", FoldedChannelScale(factors: factors), inputs: inputs,
            shape: node.shape)
        let shifts = factors.indices.map { beta[$0] - mean[$0] * factors[$0] }
        return builder.appendBias(node.name, shifts, perChannel: true, input: scaled)
    }

    /// Eq. 7: `W' = W·f`, `b' = (b − μ)·f + β` with `f = γ / sqrt(σ² + ε)`; the bias entries
    /// are attributed to the batch norm.
    func absorb(into kernel: inout AbsorbedKernel<T>, node: String) {
        let factors = self.factors
        let outChannels = kernel.outChannels
        for i in kernel.kernel.indices { kernel.kernel[i] *= factors[i % outChannels] }
        let bias = kernel.bias
        kernel.bias = (0..<outChannels).map {
            ((bias?[$0] ?? 0) - mean[$0]) * factors[$0] + beta[$0]
        }
        kernel.biasSource = node
    }
}
