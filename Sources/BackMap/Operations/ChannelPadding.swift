import LinearAlgebra

/// Appends `extra` zero channels after the existing ones (ResNet's option-A shortcuts).
struct ChannelPadding<T: BLASScalar>: NetworkOperation {
    var extra: Int

    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        let input = try NetworkError.singleInput(inputs, node: node)
        guard extra >= 0 else {
            throw NetworkError(node: node, message: "negative channel padding \(extra)")
        }
        return Shape(height: input.height, width: input.width, channels: input.channels + extra)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        Kernels.interleave(
            [inputs[0]], channels: [shapes.input.channels], offsets: [0],
            outChannels: shapes.input.channels + extra, positions: shapes.input.positions, batch: 1)
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.append(
            builder.network.nodes[index].name, FoldedChannelPadding<T>(extra: extra), inputs: inputs,
            shape: builder.network.nodes[index].shape)
    }
}

extension Operation {
    /// Appends `extra` zero channels after the existing ones.
    public static func channelPadding(extra: Int) -> Operation {
        Operation(ChannelPadding(extra: extra))
    }
}

/// Zero channels appended (linear); the adjoint keeps the first channels.
struct FoldedChannelPadding<T: BLASScalar>: FoldedOperator {
    var extra: Int

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        guard let input = inputs[0] else { return nil }
        let values = Kernels.interleave(
            [input.values], channels: [shapes.input.channels], offsets: [0],
            outChannels: shapes.input.channels + extra, positions: input.region.positions,
            batch: batch)
        return Patch(values: values, region: input.region, channels: shapes.output.channels)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        let width = shapes.input.channels
        let values = Kernels.extract(
            gradient.values, offset: 0, width: width, inChannels: shapes.output.channels,
            positions: gradient.region.positions, batch: batch)
        return [Patch(values: values, region: gradient.region, channels: width)]
    }
}
