import LinearAlgebra

/// An error in the construction of a network graph; names the offending node.
public struct NetworkError: Error, CustomStringConvertible, Equatable {
    /// The node being added or analysed.
    public var node: String
    /// What is wrong.
    public var message: String

    public init(node: String, message: String) {
        self.node = node
        self.message = message
    }

    public var description: String { "node '\(node)': \(message)" }
}

/// A convolutional network as a graph of nodes in topological order, in its original (unfolded)
/// form: batch norm, scalar multipliers and biases are separate operations.
///
/// Build one with ``init(inputShape:)`` and the `add…` methods, or load a paper model with
/// ``ModelZoo``. Analyse it with ``FoldedNetwork`` (`try network.folded()`).
public struct Network<T: BLASScalar>: Sendable {
    /// All nodes; node 0 is the input.
    public private(set) var nodes: [Node<T>]

    /// Creates a network whose only node is its input.
    public init(inputShape: Shape, inputName: String = "input") {
        nodes = [Node(name: inputName, operation: .input, inputs: [], shape: inputShape)]
    }

    /// The shape of the network input.
    public var inputShape: Shape { nodes[0].shape }

    /// The index of the last node added (the network output by convention).
    public var output: Int { nodes.count - 1 }

    /// Looks a node up by name.
    public func node(named name: String) -> Int? {
        nodes.firstIndex { $0.name == name }
    }

    /// Appends a node and returns its index.
    ///
    /// - Parameters:
    ///   - name: A unique name.
    ///   - operation: What the node computes.
    ///   - inputs: Indices of earlier nodes; defaults to the last node added.
    /// - Throws: ``NetworkError`` when the name is taken, an input does not exist, or the
    ///   shapes or parameter sizes do not fit.
    @discardableResult
    public mutating func add(_ name: String, _ operation: Operation<T>, inputs: [Int]? = nil)
        throws -> Int
    {
        let inputs = inputs ?? [output]
        guard node(named: name) == nil else {
            throw NetworkError(node: name, message: "the name is already used")
        }
        for input in inputs where !(0..<nodes.count).contains(input) {
            throw NetworkError(node: name, message: "input \(input) does not exist yet")
        }
        let shapes = inputs.map { nodes[$0].shape }
        let shape = try operation.base.outputShape(inputs: shapes, node: name)
        nodes.append(Node(name: name, operation: operation, inputs: inputs, shape: shape))
        return nodes.count - 1
    }

    /// Indices of the nodes that read node `index`.
    public func consumers(of index: Int) -> [Int] {
        nodes.indices.filter { nodes[$0].inputs.contains(index) }
    }
}
