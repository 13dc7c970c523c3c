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
        let shape = try Self.outputShape(of: operation, inputs: shapes, name: name)
        nodes.append(Node(name: name, operation: operation, inputs: inputs, shape: shape))
        return nodes.count - 1
    }

    /// Indices of the nodes that read node `index`.
    public func consumers(of index: Int) -> [Int] {
        nodes.indices.filter { nodes[$0].inputs.contains(index) }
    }
}

// MARK: - Shape inference

extension Network {
    static func outputShape(of operation: Operation<T>, inputs: [Shape], name: String)
        throws -> Shape
    {
        func fail(_ message: String) -> NetworkError { NetworkError(node: name, message: message) }
        func single() throws -> Shape {
            guard inputs.count == 1 else { throw fail("expects one input, got \(inputs.count)") }
            return inputs[0]
        }
        switch operation {
        case .input:
            throw fail("a network has exactly one input node")
        case .convolution(let conv):
            let input = try single()
            guard input.channels == conv.inChannels else {
                throw fail("kernel expects \(conv.inChannels) input channels, input is \(input)")
            }
            let expected = conv.kernelHeight * conv.kernelWidth * conv.inChannels * conv.outChannels
            guard conv.kernel.count == expected, conv.outChannels > 0 else {
                throw fail("kernel has \(conv.kernel.count) values, expected \(expected)")
            }
            if let bias = conv.bias, bias.count != conv.outChannels {
                throw fail("bias has \(bias.count) values, expected \(conv.outChannels)")
            }
            guard
                let geometry = WindowGeometry(
                    input: input, kernelHeight: conv.kernelHeight, kernelWidth: conv.kernelWidth,
                    stride: conv.stride, padding: conv.padding)
            else { throw fail("window \(conv.kernelHeight)×\(conv.kernelWidth) does not fit \(input)") }
            return Shape(
                height: geometry.outputHeight, width: geometry.outputWidth,
                channels: conv.outChannels)
        case .channelBias(let values):
            let input = try single()
            guard values.count == input.channels else {
                throw fail("\(values.count) biases for \(input.channels) channels")
            }
            return input
        case .scalarBias, .multiplier, .relu, .leakyReLU, .flatten:
            let input = try single()
            if case .flatten = operation { return .vector(input.count) }
            return input
        case .batchNormalization(let bn):
            let input = try single()
            let counts = [bn.gamma.count, bn.beta.count, bn.mean.count, bn.variance.count]
            guard counts.allSatisfy({ $0 == input.channels }) else {
                throw fail("batch-norm vectors have \(counts) entries for \(input.channels) channels")
            }
            return input
        case .averagePool(let window, let stride, let padding), .maxPool(let window, let stride, let padding):
            let input = try single()
            guard
                let geometry = WindowGeometry(
                    input: input, kernelHeight: window, kernelWidth: window, stride: stride,
                    padding: padding)
            else { throw fail("pool window \(window) stride \(stride) does not fit \(input)") }
            return Shape(
                height: geometry.outputHeight, width: geometry.outputWidth,
                channels: input.channels)
        case .globalAveragePool:
            return .vector(try single().channels)
        case .channelPadding(let extra):
            let input = try single()
            guard extra >= 0 else { throw fail("negative channel padding \(extra)") }
            return Shape(height: input.height, width: input.width, channels: input.channels + extra)
        case .add:
            guard inputs.count >= 2, inputs.allSatisfy({ $0 == inputs[0] }) else {
                throw fail("add needs two or more inputs of one shape, got \(inputs)")
            }
            return inputs[0]
        case .concatenate:
            guard inputs.count >= 2,
                inputs.allSatisfy({ $0.height == inputs[0].height && $0.width == inputs[0].width })
            else { throw fail("concatenate needs two or more inputs of one size, got \(inputs)") }
            return Shape(
                height: inputs[0].height, width: inputs[0].width,
                channels: inputs.reduce(0) { $0 + $1.channels })
        case .dense(let dense):
            let input = try single()
            guard input.count == dense.inFeatures, dense.outFeatures > 0,
                dense.weight.count == dense.inFeatures * dense.outFeatures
            else {
                throw fail(
                    "dense \(dense.inFeatures)→\(dense.outFeatures) with \(dense.weight.count) "
                        + "weights does not fit input \(input)")
            }
            if let bias = dense.bias, bias.count != dense.outFeatures {
                throw fail("bias has \(bias.count) values, expected \(dense.outFeatures)")
            }
            return .vector(dense.outFeatures)
        case .inputAffine(let scale, let shift):
            let input = try single()
            guard scale.count == input.channels, shift.count == input.channels else {
                throw fail("input affine needs \(input.channels) scales and shifts")
            }
            return input
        }
    }
}
