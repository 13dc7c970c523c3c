import LinearAlgebra

/// Reshapes to a `1 × 1 × n` vector (HWC order; no data movement).
struct Flatten<T: BLASScalar>: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        .vector(try NetworkError.singleInput(inputs, node: node).count)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        inputs[0]
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.append(
            builder.network.nodes[index].name, FoldedFlatten<T>(), inputs: inputs,
            shape: builder.network.nodes[index].shape)
    }
}

extension Operation {
    /// Reshapes to a `1 × 1 × n` vector (HWC order; no data movement).
    public static var flatten: Operation { Operation(Flatten()) }
}

/// The folded reshape: a patch becomes a dense vector; every output reads the whole input.
struct FoldedFlatten<T: BLASScalar>: FoldedOperator {
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        return .full(input.dense(shape: shapes.input, batch: batch), shape: shapes.output)
    }

    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        [.full(gradient.dense(shape: shapes.output, batch: batch), shape: shapes.input)]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        .full(shapes.input)
    }
}
