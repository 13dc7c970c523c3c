import LinearAlgebra

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

    /// The entry of `x_b` that is unit `unit`'s own bias (its channel's, or the one scalar),
    /// if the layer has an own bias. The one home of the own-bias rule.
    public func ownBiasEntry(ofUnit unit: Int) -> Int? {
        guard let range = ownBias else { return nil }
        return range.count == 1 ? range.lowerBound : range.lowerBound + unit % shape.channels
    }
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
    /// The bias vector `x_b`: every bias scalar of the folded network, in layer order.
    public internal(set) var biasValues: [T]
    /// For every entry of ``biasValues``, where it comes from.
    public internal(set) var biasEntries: [BiasEntry]
    /// The convolution and dense layers, in topological order.
    public internal(set) var layers: [Layer]

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
