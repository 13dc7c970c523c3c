import LinearAlgebra

/// The shapes around one node: its output and each of its inputs.
struct NodeShapes: Sendable {
    /// The node's output shape.
    var output: Shape
    /// The shape of each input, in input order.
    var inputs: [Shape]

    /// The first (for most operations the only) input shape.
    var input: Shape { inputs[0] }
}

/// The activation pattern a forward pass recorded at one node.
struct NodePattern<T: BLASScalar> {
    /// For rectifiers: the derivative of each element (1 or the negative slope).
    var slopes: [T]?
    /// For max pools: the flat input index selected for each output element.
    var selections: [Int32]?
}

/// What a forward pass computes at one node: its values and, for piecewise-linear
/// operations, the pattern it fixes.
struct NodeOutput<T: BLASScalar> {
    var values: [T]
    var pattern = NodePattern<T>()
}

/// Everything a node's forward step may read besides its inputs' values.
struct ForwardContext<T: BLASScalar> {
    /// The image `x` (read by the input node only).
    var image: [T]
    /// The factor `k` of the evaluation point `k·[x; x_b]`.
    var scale: T
    /// The bias vector `x_b` (read by bias nodes, scaled by `k`).
    var biasValues: [T]
    /// The node's shapes.
    var shapes: NodeShapes
    /// The region of the node's output that is needed (`nil`: all of it).
    var region: Region?
    /// The regions on which the inputs are known (`nil` entries: all of them).
    var inputRegions: [Region?]
}

/// Everything a node's tangent step may read besides its inputs' tangents.
struct TangentContext<T: BLASScalar> {
    /// The joint-input directions of the batch, one per item.
    var directions: [Direction]
    /// The batch items that are bias directions, with their entry of `x_b`.
    var biasItems: [(item: Int, entry: Int)]
    /// The node's shapes.
    var shapes: NodeShapes
    /// The pattern of the node, fixed by the forward pass.
    var pattern: NodePattern<T>

    /// Number of directions propagated together.
    var batch: Int { directions.count }
}

/// One operation of a ``FoldedNetwork``: everything the engine asks of it. Each kind of
/// operation is one type in `Operations/`; the forward pass, the adjoint, tangent propagation,
/// the receptive regions and FLOP counting are graph walks that ask the node's operator.
///
/// Operators are called once per node (existential dispatch); their work is done in the
/// concrete, specialised kernels of `Kernels/`.
protocol FoldedOperator<Scalar>: Sendable {
    associatedtype Scalar: BLASScalar

    /// The kind of analysis layer this node is (convolutions and dense layers), if any.
    var layerKind: Layer.Kind? { get }

    /// The entries of `x_b` this node adds (bias nodes only).
    var biasEntries: Range<Int>? { get }

    /// Multiply-adds ×2 of one item through the node (convolution and dense products only).
    var productFlops: Double { get }

    /// The node's output in the forward pass on `k·[x; x_b]`, with the pattern it fixes.
    ///
    /// The default applies the linear part to full maps.
    func forward(_ inputs: [[Scalar]], context: ForwardContext<Scalar>) -> NodeOutput<Scalar>

    /// Applies the linear part (pattern fixed, bias dropped) to a batch of patches (`nil`:
    /// identically zero). Returns `nil` when the result is identically zero.
    func applyLinear(
        _ inputs: [Patch<Scalar>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<Scalar>
    ) -> Patch<Scalar>?

    /// Applies the transpose of the linear part to a batch of output gradients, returning one
    /// gradient per input (`nil`: identically zero).
    func applyTransposed(
        _ gradient: Patch<Scalar>, batch: Int, shapes: NodeShapes, pattern: NodePattern<Scalar>
    ) -> [Patch<Scalar>?]

    /// Forward-mode tangents of the node for a batch of joint-input directions. The default
    /// is the linear part; the input and bias nodes add the directions' own components.
    func propagateTangent(_ inputs: [Patch<Scalar>?], context: TangentContext<Scalar>)
        -> Patch<Scalar>?

    /// Adds the node's share of the gradient with respect to `x_b` (bias nodes only) to
    /// `sums[item · biasCount + entry]` for every batch item.
    func accumulateBiasGradient(
        _ gradient: Patch<Scalar>, batch: Int, into sums: inout [Scalar], biasCount: Int)

    /// The region of input `input` that the node's output on `region` reads. The default is
    /// the same region (element-wise operations).
    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region
}

extension FoldedOperator {
    var layerKind: Layer.Kind? { nil }

    var biasEntries: Range<Int>? { nil }

    var productFlops: Double { 0 }

    func forward(_ inputs: [[Scalar]], context: ForwardContext<Scalar>) -> NodeOutput<Scalar> {
        let shapes = context.shapes
        let patches = zip(inputs, shapes.inputs).map { values, shape in
            Optional(Patch.full(values, shape: shape))
        }
        let result = applyLinear(patches, batch: 1, shapes: shapes, pattern: NodePattern())
        return NodeOutput(
            values: result?.dense(shape: shapes.output, batch: 1)
                ?? [Scalar](repeating: 0, count: shapes.output.count))
    }

    func propagateTangent(_ inputs: [Patch<Scalar>?], context: TangentContext<Scalar>)
        -> Patch<Scalar>?
    {
        applyLinear(inputs, batch: context.batch, shapes: context.shapes, pattern: context.pattern)
    }

    func accumulateBiasGradient(
        _ gradient: Patch<Scalar>, batch: Int, into sums: inout [Scalar], biasCount: Int
    ) {}

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        region
    }
}

/// A node of a ``FoldedNetwork``.
struct FoldedNode<T: BLASScalar>: Sendable {
    var name: String
    var operation: any FoldedOperator<T>
    var inputs: [Int]
    var shapes: NodeShapes

    /// The node's output shape.
    var shape: Shape { shapes.output }
}
