import LinearAlgebra

/// Element-wise sum of two or more inputs of the same shape (residual connection).
struct Add<T: BLASScalar>: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        guard inputs.count >= 2, inputs.allSatisfy({ $0 == inputs[0] }) else {
            throw NetworkError(
                node: node, message: "add needs two or more inputs of one shape, got \(inputs)")
        }
        return inputs[0]
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        var sum = inputs[0]
        for other in inputs.dropFirst() { Kernels.accumulate(&sum, other) }
        return sum
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.append(
            builder.network.nodes[index].name, FoldedAdd<T>(), inputs: inputs,
            shape: builder.network.nodes[index].shape)
    }
}

extension Operation {
    /// Element-wise sum of two or more inputs of the same shape (residual connection).
    public static var add: Operation { Operation(Add()) }
}

/// The folded sum: patches are summed over the union of their regions; the adjoint hands
/// the gradient to every input.
struct FoldedAdd<T: BLASScalar>: FoldedOperator {
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        let present = inputs.compactMap { $0 }
        guard let first = present.first else { return nil }
        let region = present.dropFirst().reduce(first.region) { $0.union($1.region) }
        var sum = first.embedded(in: region, batch: batch)
        for other in present.dropFirst() {
            Kernels.accumulate(&sum.values, other.embedded(in: region, batch: batch).values)
        }
        return sum
    }

    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        shapes.inputs.map { _ in gradient }
    }
}
