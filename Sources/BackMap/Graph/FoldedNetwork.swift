import LinearAlgebra

/// One operation of a ``FoldedNetwork``: linear, piecewise linear, or the addition of a slice
/// of the bias vector `x_b`.
enum FoldedOperation<T: BLASScalar>: Sendable {
    case input
    /// Convolution without bias (batch norm and multipliers already folded into the kernel).
    case convolution(kernel: [T], geometry: WindowGeometry, outChannels: Int)
    /// Fully connected layer without bias.
    case dense(weight: [T], inFeatures: Int, outFeatures: Int)
    /// Multiplies every channel by a fixed factor (linear, no bias).
    case channelScale([T])
    /// Adds `x_b[offset ..< offset + count]`: per channel when `count` equals the channel
    /// count, to every element when `count == 1`.
    case bias(offset: Int, count: Int)
    /// ReLU (`negativeSlope == 0`) or Leaky ReLU.
    case rectifier(negativeSlope: T)
    case averagePool(WindowGeometry)
    case maxPool(WindowGeometry)
    case globalAveragePool
    case channelPadding(extra: Int)
    case add
    case concatenate
    case flatten
}

/// A node of a ``FoldedNetwork``.
struct FoldedNode<T: BLASScalar>: Sendable {
    var name: String
    var operation: FoldedOperation<T>
    var inputs: [Int]
    var shape: Shape
}

/// Where one entry of the bias vector `x_b` comes from.
public struct BiasEntry: Hashable, Sendable, CustomStringConvertible {
    /// The node of the original network that holds the value (`bn3`, `fixup.bias5`, `fc`, …).
    public var source: String
    /// The layer whose output this bias is added to directly, if any (its "own" bias).
    public var layer: String?
    /// The channel, or `nil` for a scalar bias added to every element.
    public var channel: Int?

    public var description: String {
        if let channel { return "\(source)[\(channel)]" }
        return source
    }
}

/// A layer of the analysis: a convolution (`conv0`, `conv1`, …) or a dense layer (`fc`).
///
/// Layers are numbered in topological order, as in the paper: VGG7's layers 0…5 are
/// `conv0`…`conv5`, layer 6 is the FC layer.
public struct Layer: Hashable, Sendable {
    /// What kind of layer this is.
    public enum Kind: String, Hashable, Sendable {
        case convolution, dense
    }

    /// Position in ``FoldedNetwork/layers``.
    public var index: Int
    /// Name of the node (`conv3`, `fc`).
    public var name: String
    /// Convolution or dense.
    public var kind: Kind
    /// Shape of the layer's output, i.e. of its units.
    public var shape: Shape
    /// Shape of the layer's input feature map.
    public var inputShape: Shape
    /// The slice of `x_b` added directly to this layer's output (its own bias), if any.
    public var ownBias: Range<Int>?
    /// Whether the own bias is one scalar for every unit (Fixup) rather than one per channel.
    public var ownBiasIsScalar: Bool
    /// Folded node index of the layer (internal bookkeeping).
    var node: Int
    /// Folded node index of the own bias, if any.
    var ownBiasNode: Int?

    /// Number of units (`height · width · channels`).
    public var units: Int { shape.count }
}

/// A network prepared for the method: batch norm folded into its convolution (Eq. 7), scalar
/// multipliers folded into the kernel, and every bias scalar turned into an entry of the fixed
/// bias input `x_b`.
///
/// All units are positively homogeneous of degree one in the joint input `[x; x_b]`.
public struct FoldedNetwork<T: BLASScalar>: Sendable {
    var nodes: [FoldedNode<T>]
    /// Where each node's output is last read (for freeing intermediate tensors early).
    var lastUse: [Int]
    /// For stride-1 convolutions: the transpose as a convolution of its own (flipped kernel,
    /// channels swapped), so the adjoint is an im2col GEMM with a deep inner dimension and no
    /// scatter. Keyed by node index.
    var transposedConvolutions: [Int: TransposedConvolution<T>] = [:]

    /// The bias vector `x_b`: every bias scalar of the folded network, in layer order.
    public internal(set) var biasValues: [T]
    /// For every entry of ``biasValues``, where it comes from.
    public private(set) var biasEntries: [BiasEntry]
    /// The convolution and dense layers, in topological order.
    public private(set) var layers: [Layer]

    /// The shape of the image input `x`.
    public var inputShape: Shape { nodes[0].shape }

    /// `d_in`: image size plus number of bias scalars.
    public var jointInputCount: Int { inputShape.count + biasValues.count }

    /// The names of the folded nodes, in topological order.
    public var nodeNames: [String] { nodes.map(\.name) }

    /// Looks a layer up by name (`conv3`, `fc`).
    public func layer(named name: String) -> Layer? {
        layers.first { $0.name == name }
    }

    /// The last dense layer (the classifier), if any.
    public var classifier: Layer? { layers.last { $0.kind == .dense } }
}

// MARK: - Folding

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

    private mutating func finishLayers() {
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

/// The transpose of a stride-1 convolution, written as a convolution: the output gradient is
/// correlated with the kernel flipped in both spatial directions, in and out channels swapped,
/// and `kernel − 1 − pad` zeros on each side (so the result has the input's size).
struct TransposedConvolution<T: BLASScalar>: Sendable {
    /// Below this many output channels (the forward's input channels) the engine keeps the
    /// scatter transpose.
    static var minimumOutChannels: Int { 8 }

    var kernel: [T]
    var geometry: WindowGeometry
    var outChannels: Int

    /// Nil for strided convolutions and for paddings larger than the kernel allows.
    init?(kernel: [T], geometry g: WindowGeometry, outChannels: Int) {
        guard g.stride == 1 else { return nil }
        let padBottom = g.outputHeight - 1 + g.kernelHeight - g.input.height - g.padTop
        let padRight = g.outputWidth - 1 + g.kernelWidth - g.input.width - g.padLeft
        let pads = (
            top: g.kernelHeight - 1 - g.padTop, bottom: g.kernelHeight - 1 - padBottom,
            left: g.kernelWidth - 1 - g.padLeft, right: g.kernelWidth - 1 - padRight
        )
        guard pads.top >= 0, pads.bottom >= 0, pads.left >= 0, pads.right >= 0,
            let geometry = WindowGeometry(
                input: Shape(height: g.outputHeight, width: g.outputWidth, channels: outChannels),
                kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, stride: 1,
                padding: .explicit(top: pads.top, bottom: pads.bottom, left: pads.left, right: pads.right)),
            geometry.outputHeight == g.input.height, geometry.outputWidth == g.input.width
        else { return nil }
        let inChannels = g.input.channels
        var flipped = [T](repeating: 0, count: kernel.count)
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let source = ((g.kernelHeight - 1 - ky) * g.kernelWidth + g.kernelWidth - 1 - kx) * inChannels
                let target = (ky * g.kernelWidth + kx) * outChannels
                for ci in 0..<inChannels {
                    for co in 0..<outChannels {
                        flipped[(target + co) * inChannels + ci] = kernel[(source + ci) * outChannels + co]
                    }
                }
            }
        }
        self.kernel = flipped
        self.geometry = geometry
        self.outChannels = inChannels
    }
}
