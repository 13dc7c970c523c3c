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
            throw BackMapError.imageSize(values: image.count, expected: inputShape)
        }
        var values = [[T]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            let shapes = NodeShapes(output: node.shape, inputs: node.inputs.map { nodes[$0].shape })
            values[index] = try node.operation.base.evaluate(
                node.inputs.map { values[$0] }, shapes: shapes, image: image, node: node.name)
        }
        return values
    }

    /// Folds the network for analysis (see ``FoldedNetwork/init(folding:)``).
    public func folded() throws -> FoldedNetwork<T> {
        try FoldedNetwork(folding: self)
    }
}
