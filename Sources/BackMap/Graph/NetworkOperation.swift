import LinearAlgebra

/// What the engine asks of one operation of an unfolded ``Network``: its output shape (which
/// checks its parameters), its reference evaluation, and how it folds into a
/// ``FoldedNetwork``. Each kind of operation is one type in `Operations/`, with its folded
/// counterpart (a ``FoldedOperator``) in the same file.
protocol NetworkOperation<Scalar>: Sendable {
    associatedtype Scalar: BLASScalar

    /// The output shape for these input shapes.
    ///
    /// - Throws: ``NetworkError`` naming `node` when the inputs or parameters do not fit.
    func outputShape(inputs: [Shape], node: String) throws -> Shape

    /// The reference evaluation of the unfolded operation on one image (batch norm as
    /// `γ (x − μ) / sqrt(σ² + ε) + β`, biases and multipliers as separate steps).
    func evaluate(_ inputs: [[Scalar]], shapes: NodeShapes, image: [Scalar], node: String) throws
        -> [Scalar]

    /// Appends the folded form of node `index` to `builder` and returns the folded node that
    /// holds its output.
    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<Scalar>) throws
        -> Int
}

/// An operation that can be absorbed into the kernel and bias of a preceding convolution
/// whose only consumer it is (batch norm, scalar multipliers; NOTES.md Eq. 7).
protocol KernelAbsorbable<Scalar>: NetworkOperation {
    /// Folds the operation into `kernel` (output channels innermost) and its bias.
    func absorb(into kernel: inout AbsorbedKernel<Scalar>, node: String)
}

/// A kernel with output channels innermost, its optional bias and the name the folded bias
/// entries carry, while following operations are absorbed into it.
struct AbsorbedKernel<T: BLASScalar> {
    var kernel: [T]
    var bias: [T]?
    var outChannels: Int
    /// The node the bias entries are attributed to (`conv3.bias`, or the batch norm `bn3`).
    var biasSource: String
}

/// One operation of a network graph. Every operation is linear, affine, or piecewise linear.
///
/// Create one with the static members (`.convolution(…)`, `.relu`, `.add`, …); each kind is
/// defined, with everything the engine needs to know about it, in one file of `Operations/`.
public struct Operation<T: BLASScalar>: Sendable {
    let base: any NetworkOperation<T>

    init(_ base: some NetworkOperation<T>) {
        self.base = base
    }
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

extension NetworkError {
    /// The single input shape of a one-input operation.
    static func singleInput(_ inputs: [Shape], node: String) throws -> Shape {
        guard inputs.count == 1 else {
            throw NetworkError(node: node, message: "expects one input, got \(inputs.count)")
        }
        return inputs[0]
    }
}
