import LinearAlgebra

/// Builds a ``FoldedNetwork`` from a ``Network`` node by node: each node's operation appends
/// its folded form (``NetworkOperation/fold(_:inputs:into:)``).
struct FoldingBuilder<T: BLASScalar> {
    let network: Network<T>
    private(set) var nodes: [FoldedNode<T>] = []
    private(set) var biasValues: [T] = []
    private(set) var biasEntries: [BiasEntry] = []
    /// For every original node, the folded node holding its output (−1: not yet folded).
    private var map: [Int]
    /// Original nodes folded into an earlier node's kernel.
    private var absorbed = Set<Int>()

    init(network: Network<T>) {
        self.network = network
        map = Array(repeating: -1, count: network.nodes.count)
    }

    /// Folds every node in topological order.
    mutating func run() throws {
        for (index, node) in network.nodes.enumerated() where !absorbed.contains(index) {
            let inputs = node.inputs.map { map[$0] }
            map[index] = try node.operation.base.fold(index, inputs: inputs, into: &self)
            for absorbedIndex in absorbed where map[absorbedIndex] < 0 {
                map[absorbedIndex] = map[index]
            }
        }
    }

    /// The shape of folded node `index`.
    func shape(of index: Int) -> Shape { nodes[index].shape }

    /// Appends a folded node and returns its index.
    mutating func append(
        _ name: String, _ operation: some FoldedOperator<T>, inputs: [Int], shape: Shape
    ) -> Int {
        let shapes = NodeShapes(output: shape, inputs: inputs.map { nodes[$0].shape })
        nodes.append(FoldedNode(name: name, operation: operation, inputs: inputs, shapes: shapes))
        return nodes.count - 1
    }

    /// Appends `values` to `x_b` and a bias node that adds them to node `input`: one per
    /// channel, or (`perChannel == false`, one value) to every element.
    mutating func appendBias(_ source: String, _ values: [T], perChannel: Bool, input: Int) -> Int {
        let offset = biasValues.count
        biasValues += values
        for (channel, _) in values.enumerated() {
            biasEntries.append(
                BiasEntry(source: source, layer: nil, channel: perChannel ? channel : nil))
        }
        return append(
            source, FoldedBias<T>(offset: offset, count: values.count), inputs: [input],
            shape: nodes[input].shape)
    }

    /// Absorbs the chain of single-consumer kernel-absorbable operations (batch norm,
    /// multipliers) that follows node `index` into `kernel`, marking them folded.
    mutating func absorbFollowers(of index: Int, into kernel: inout AbsorbedKernel<T>) {
        var last = index
        while true {
            let consumers = network.consumers(of: last)
            guard consumers.count == 1, let next = consumers.first,
                let absorbable = network.nodes[next].operation.base as? any KernelAbsorbable<T>
            else { break }
            absorbable.absorb(into: &kernel, node: network.nodes[next].name)
            absorbed.insert(next)
            last = next
        }
    }
}
