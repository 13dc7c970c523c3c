import LinearAlgebra

/// `max(x, 0)` (ReLU, `slope == nil`) or `x` for `x > 0`, `slope · x` otherwise (Leaky ReLU).
struct Rectifier<T: BLASScalar>: NetworkOperation {
    var slope: T?

    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        try NetworkError.singleInput(inputs, node: node)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        guard let slope else { return inputs[0].map { max($0, 0) } }
        return inputs[0].map { $0 > 0 ? $0 : slope * $0 }
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.append(
            builder.network.nodes[index].name, FoldedRectifier(negativeSlope: slope ?? 0),
            inputs: inputs, shape: builder.network.nodes[index].shape)
    }
}

extension Operation {
    /// `max(x, 0)`.
    public static var relu: Operation { Operation(Rectifier(slope: nil)) }

    /// `x` for `x > 0`, `slope · x` otherwise.
    public static func leakyReLU(slope: T) -> Operation { Operation(Rectifier(slope: slope)) }
}

/// ReLU (`negativeSlope == 0`) or Leaky ReLU; the forward pass records each element's slope,
/// which the linear part, the tangents and the adjoint multiply by.
struct FoldedRectifier<T: BLASScalar>: FoldedOperator {
    var negativeSlope: T

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let (values, slopes) = Kernels.rectify(
            inputs[0], negativeSlope: negativeSlope, shape: context.shapes.output,
            region: context.region)
        return NodeOutput(values: values, pattern: NodePattern(slopes: slopes))
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        guard let slope = pattern.slopes else { preconditionFailure("no recorded pattern") }
        return Kernels.multiply(input, batch: batch, by: slope, shape: shapes.input)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        guard let slope = pattern.slopes else { preconditionFailure("no recorded pattern") }
        return [Kernels.multiply(gradient, batch: batch, by: slope, shape: shapes.output)]
    }
}
