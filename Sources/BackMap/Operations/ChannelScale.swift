import LinearAlgebra

/// Multiplies every element by one value (Fixup's scalar multipliers).
struct ScalarMultiplier<T: BLASScalar>: KernelAbsorbable {
    var factor: T

    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        try NetworkError.singleInput(inputs, node: node)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        inputs[0].map { $0 * factor }
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        let channels = inputs.first.map { builder.shape(of: $0).channels } ?? 1
        return builder.append(
            builder.network.nodes[index].name,
            FoldedChannelScale(factors: Array(repeating: factor, count: channels)),
            inputs: inputs, shape: builder.network.nodes[index].shape)
    }

    func absorb(into kernel: inout AbsorbedKernel<T>, node: String) {
        for i in kernel.kernel.indices { kernel.kernel[i] *= factor }
        kernel.bias = kernel.bias.map { $0.map { $0 * factor } }
    }
}

extension Operation {
    /// Multiplies every element by one value (Fixup's scalar multipliers).
    public static func multiplier(_ factor: T) -> Operation {
        Operation(ScalarMultiplier(factor: factor))
    }
}

/// Multiplies every channel by a fixed factor (linear, no bias): what remains of a batch
/// norm, a multiplier or an input normalisation that could not be absorbed into a kernel.
struct FoldedChannelScale<T: BLASScalar>: FoldedOperator {
    var factors: [T]

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard var result = inputs[0] else { return nil }
        result.values = Kernels.scaleChannels(result.values, by: factors)
        return result
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        var result = gradient
        result.values = Kernels.scaleChannels(gradient.values, by: factors)
        return [result]
    }
}
