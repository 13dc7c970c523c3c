import LinearAlgebra

/// Mean over all positions of each channel; output `1 × 1 × channels`.
struct GlobalAveragePool<T: BLASScalar>: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        .vector(try NetworkError.singleInput(inputs, node: node).channels)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        Kernels.globalAveragePool(inputs[0], batch: 1, shape: shapes.input)
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.append(
            builder.network.nodes[index].name, FoldedGlobalAveragePool<T>(), inputs: inputs,
            shape: builder.network.nodes[index].shape)
    }
}

extension Operation {
    /// Mean over all positions of each channel; output `1 × 1 × channels`.
    public static var globalAveragePool: Operation { Operation(GlobalAveragePool()) }
}

/// Mean over all positions of each channel (linear); every output reads the whole input.
struct FoldedGlobalAveragePool<T: BLASScalar>: FoldedOperator {
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        let values = Kernels.globalAveragePool(
            input.dense(shape: shapes.input, batch: batch), batch: batch, shape: shapes.input)
        return .full(values, shape: shapes.output)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        let values = Kernels.globalAveragePoolTransposed(
            gradient.dense(shape: shapes.output, batch: batch), batch: batch, shape: shapes.input)
        return [.full(values, shape: shapes.input)]
    }

    func inputRegion(forOutput region: Region, input: Int, shapes: NodeShapes) -> Region {
        .full(shapes.input)
    }
}
