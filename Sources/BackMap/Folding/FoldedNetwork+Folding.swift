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
        var builder = FoldingBuilder(network: network)
        try builder.run()
        nodes = builder.nodes
        biasValues = builder.biasValues
        biasEntries = builder.biasEntries
        layers = []
        lastUse = []
        finishLayers()
    }

    /// Finds the analysis layers (convolutions and dense nodes) and each layer's own bias:
    /// the bias node that is its only consumer.
    mutating func finishLayers() {
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for input in node.inputs { consumers[input].append(index) }
        }
        lastUse = consumers.enumerated().map { $0.element.max() ?? $0.offset }
        for (index, node) in nodes.enumerated() {
            guard let kind = node.operation.layerKind else { continue }
            var layer = Layer(
                index: layers.count, name: node.name, kind: kind, shape: node.shape,
                inputShape: nodes[node.inputs[0]].shape, ownBias: nil, ownBiasIsScalar: false,
                node: index, ownBiasNode: nil)
            if consumers[index].count == 1, let next = consumers[index].first,
                let entries = nodes[next].operation.biasEntries
            {
                layer.ownBias = entries
                layer.ownBiasIsScalar = entries.count == 1 && node.shape.channels != 1
                layer.ownBiasNode = next
                for entry in entries { biasEntries[entry].layer = node.name }
            }
            layers.append(layer)
        }
    }
}
