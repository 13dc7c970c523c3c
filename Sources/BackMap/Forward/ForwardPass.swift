import LinearAlgebra

/// The result of running a ``FoldedNetwork`` on one image: every node's output (so every
/// pre-activation) and the activation pattern (rectifier slopes, max-pool selections).
public struct ForwardPass<T: BLASScalar>: Sendable {
    /// The factor `k` the joint input was scaled by (`z = k·[x; x_b]`).
    public var scale: T
    /// Output of every folded node, in node order, each in HWC layout; multiplied by
    /// ``readScale`` on reading (see ``value(at:)``).
    var values: [[T]]
    /// Factor applied to ``values`` when read: 1, or `1/k` for the pass at `[x; x_b]` derived
    /// from the pass at `z = k·[x; x_b]` (an exact rescaling when `k` is a power of two), so
    /// that only the values a back-map reads are rescaled.
    var readScale: T = 1
    /// For rectifier nodes, the derivative of each element (1 or the negative slope).
    var slopes: [[T]?]
    /// For max-pool nodes, the flat input index selected for each output element.
    var selections: [[Int32]?]

    /// The output of node `node`.
    func value(at node: Int) -> [T] {
        readScale == 1 ? values[node] : Kernels.scaled(values[node], by: readScale)
    }

    /// The output of a layer's node (the unit values before the layer's own bias), shaped
    /// like the layer.
    ///
    /// ```swift
    /// let conv3 = try network.forward(x).values(of: network.layers[3])
    /// let peak = conv3.argmax(inChannel: 5)
    /// ```
    public func values(of layer: Layer) -> FeatureMap<T> {
        FeatureMap(value(at: layer.node), shape: layer.shape)
    }

    /// The network output (the last node).
    public var output: [T] { value(at: values.count - 1) }
}

extension FoldedNetwork {
    /// Runs the network on `k·[x; x_b]`, recording every node's output and the pattern.
    ///
    /// - Parameters:
    ///   - image: The input `x`, HWC, `inputShape.count` values.
    ///   - scale: The factor `k` applied to both the image and the bias vector.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward(_ image: [T], scale: T = 1) throws -> ForwardPass<T> {
        try forward(image, scale: scale, through: nodes.count - 1)
    }

    /// The forward pass up to node `lastNode` (later nodes get empty values).
    ///
    /// - Parameter regions: When given, the region of each node that is needed (`nil`: the node
    ///   is not needed at all; see ``neededRegions(from:at:)``). Convolutions and average pools
    ///   are then computed on those regions only, and every other value is left zero or
    ///   unspecified outside them. A single unit's back-map reads nothing else.
    func forward(_ image: [T], scale: T, through lastNode: Int, regions: [Region?]? = nil)
        throws -> ForwardPass<T>
    {
        try checkImage(image)
        var values = [[T]](repeating: [], count: nodes.count)
        var slopes = [[T]?](repeating: nil, count: nodes.count)
        var selections = [[Int32]?](repeating: nil, count: nodes.count)
        for (index, node) in nodes.enumerated() where index <= lastNode {
            if let regions, regions[index] == nil { continue }
            let context = ForwardContext(
                image: image, scale: scale, biasValues: biasValues, shapes: node.shapes,
                region: regions?[index],
                inputRegions: node.inputs.map { regions?[$0] })
            let output = node.operation.forward(node.inputs.map { values[$0] }, context: context)
            values[index] = output.values
            slopes[index] = output.pattern.slopes
            selections[index] = output.pattern.selections
        }
        return ForwardPass(scale: scale, values: values, slopes: slopes, selections: selections)
    }

    /// The region of every node that the value of node `lastNode` on `region` depends on
    /// (`nil`: not at all): the unit's receptive cone, node by node. A single unit's adjoint
    /// stays inside the same regions.
    func neededRegions(from lastNode: Int, at region: Region) -> [Region?] {
        var regions = [Region?](repeating: nil, count: nodes.count)
        regions[lastNode] = region
        for index in stride(from: lastNode, through: 0, by: -1) {
            guard let needed = regions[index] else { continue }
            let node = nodes[index]
            for (position, input) in node.inputs.enumerated() {
                let inputRegion = node.operation.inputRegion(
                    forOutput: needed, input: position, shapes: node.shapes)
                regions[input] = regions[input].map { $0.union(inputRegion) } ?? inputRegion
            }
        }
        return regions
    }

    func checkImage(_ image: [T]) throws {
        guard image.count == inputShape.count else {
            throw BackMapError.imageSize(values: image.count, expected: inputShape)
        }
    }

    /// The pattern the forward pass `pass` recorded at node `index`.
    func pattern(at index: Int, of pass: ForwardPass<T>) -> NodePattern<T> {
        NodePattern(slopes: pass.slopes[index], selections: pass.selections[index])
    }

    /// Applies the linear part of node `index` to a batch of patches (`nil`: identically zero),
    /// with the pattern of `pass` fixed. Returns `nil` when the result is identically zero.
    func applyLinear(_ index: Int, inputs: [Patch<T>?], batch: Int, pass: ForwardPass<T>)
        -> Patch<T>?
    {
        nodes[index].operation.applyLinear(
            inputs, batch: batch, shapes: nodes[index].shapes, pattern: pattern(at: index, of: pass))
    }

    /// Applies the transpose of node `index`'s linear part to a batch of output gradients,
    /// returning one gradient per input (`nil`: identically zero).
    func applyTransposed(
        _ index: Int, gradient: Patch<T>, batch: Int, pass: ForwardPass<T>
    ) -> [Patch<T>?] {
        nodes[index].operation.applyTransposed(
            gradient, batch: batch, shapes: nodes[index].shapes, pattern: pattern(at: index, of: pass))
    }
}
