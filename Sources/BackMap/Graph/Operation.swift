import LinearAlgebra

/// The weights of a 2-D convolution.
public struct Convolution<T: BLASScalar>: Sendable {
    /// Kernel in `HWIO` layout: `[kernelHeight, kernelWidth, inChannels, outChannels]`.
    public var kernel: [T]
    /// Kernel height.
    public var kernelHeight: Int
    /// Kernel width.
    public var kernelWidth: Int
    /// Number of input channels.
    public var inChannels: Int
    /// Number of output channels.
    public var outChannels: Int
    /// Step between neighbouring windows, in both directions.
    public var stride: Int
    /// How the border is padded (with zeros).
    public var padding: Padding
    /// Optional per-output-channel bias, added after the convolution.
    public var bias: [T]?

    /// Creates a convolution; `kernel.count` must equal `kh · kw · in · out`.
    public init(
        kernel: [T], kernelHeight: Int, kernelWidth: Int, inChannels: Int, outChannels: Int,
        stride: Int = 1, padding: Padding = .tfSame, bias: [T]? = nil
    ) {
        self.kernel = kernel
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.stride = stride
        self.padding = padding
        self.bias = bias
    }
}

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

/// A fully connected layer.
public struct Dense<T: BLASScalar>: Sendable {
    /// Weights `[inFeatures, outFeatures]`, row-major.
    public var weight: [T]
    /// Number of inputs.
    public var inFeatures: Int
    /// Number of outputs.
    public var outFeatures: Int
    /// Optional bias per output.
    public var bias: [T]?

    /// Creates a dense layer; `weight.count` must equal `inFeatures · outFeatures`.
    public init(weight: [T], inFeatures: Int, outFeatures: Int, bias: [T]? = nil) {
        self.weight = weight
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.bias = bias
    }
}

/// One operation of a network graph. Every operation is linear, affine, or piecewise linear.
public enum Operation<T: BLASScalar>: Sendable {
    /// The network input (exactly one per network, the first node).
    case input
    /// 2-D convolution with optional per-channel bias.
    case convolution(Convolution<T>)
    /// Adds one value per channel.
    case channelBias([T])
    /// Adds one value to every element (Fixup's scalar biases).
    case scalarBias(T)
    /// Multiplies every element by one value (Fixup's scalar multipliers).
    case multiplier(T)
    /// Batch normalisation in inference mode (folded into the preceding convolution).
    case batchNormalization(BatchNormalization<T>)
    /// `max(x, 0)`.
    case relu
    /// `x` for `x > 0`, `slope · x` otherwise.
    case leakyReLU(slope: T)
    /// Average pooling that divides by the number of valid (non-padded) elements.
    case averagePool(window: Int, stride: Int, padding: Padding)
    /// Max pooling over valid elements (padding never wins).
    case maxPool(window: Int, stride: Int, padding: Padding)
    /// Mean over all positions of each channel; output `1 × 1 × channels`.
    case globalAveragePool
    /// Appends `extra` zero channels after the existing ones.
    case channelPadding(extra: Int)
    /// Element-wise sum of two or more inputs of the same shape (residual connection).
    case add
    /// Concatenation along channels of inputs with the same height and width.
    case concatenate
    /// Reshapes to a `1 × 1 × n` vector (HWC order; no data movement).
    case flatten
    /// Fully connected layer on the flattened input.
    case dense(Dense<T>)
    /// Per-channel input normalisation `x · scale + shift`; the shift becomes entries of `x_b`.
    case inputAffine(scale: [T], shift: [T])
}

/// A node of a ``Network``: an operation applied to earlier nodes.
public struct Node<T: BLASScalar>: Sendable {
    /// A unique name, e.g. `conv3` or `bn3`.
    public var name: String
    /// What the node computes.
    public var operation: Operation<T>
    /// Indices of the input nodes (all earlier in topological order).
    public var inputs: [Int]
    /// The shape of the node's output.
    public var shape: Shape
}
