import LinearAlgebra

/// Adds one value per channel.
struct ChannelBias<T: BLASScalar>: NetworkOperation {
    var values: [T]

    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        let input = try NetworkError.singleInput(inputs, node: node)
        guard values.count == input.channels else {
            throw NetworkError(
                node: node, message: "\(values.count) biases for \(input.channels) channels")
        }
        return input
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        inputs[0].enumerated().map { $0.element + values[$0.offset % values.count] }
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.appendBias(
            builder.network.nodes[index].name, values, perChannel: true, input: inputs[0])
    }
}

/// Adds one value to every element (Fixup's scalar biases).
struct ScalarBias<T: BLASScalar>: NetworkOperation {
    var value: T

    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        try NetworkError.singleInput(inputs, node: node)
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        inputs[0].map { $0 + value }
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.appendBias(
            builder.network.nodes[index].name, [value], perChannel: false, input: inputs[0])
    }
}

extension Operation {
    /// Adds one value per channel.
    public static func channelBias(_ values: [T]) -> Operation { Operation(ChannelBias(values: values)) }

    /// Adds one value to every element (Fixup's scalar biases).
    public static func scalarBias(_ value: T) -> Operation { Operation(ScalarBias(value: value)) }
}

/// Adds `x_b[offset ..< offset + count]`: per channel when `count` equals the channel count,
/// to every element when `count == 1`. Its linear part (in `x`) is the identity.
struct FoldedBias<T: BLASScalar>: FoldedOperator {
    var offset: Int
    var count: Int

    var biasEntries: Range<Int>? { offset..<(offset + count) }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let shape = context.shapes.output
        let biases =
            count == 1
            ? [T](repeating: context.scale * context.biasValues[offset], count: shape.channels)
            : (offset..<(offset + count)).map { context.scale * context.biasValues[$0] }
        return NodeOutput(
            values: Kernels.addingBias(
                inputs[0], shape: shape, biases: biases, region: context.region))
    }

    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        inputs[0]
    }

    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        [gradient]
    }

    /// The input's tangent plus, for each bias direction among this node's entries, one in
    /// its channel (or everywhere, for a scalar bias).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func propagateTangent(_ inputs: [Patch<T>?], context: TangentContext<T>) -> Patch<T>? {
        let entries = offset..<(offset + count)
        let items = context.biasItems.filter { entries.contains($0.entry) }
        guard !items.isEmpty else { return inputs[0] }
        let shape = context.shapes.output
        let size = shape.count
        let channels = shape.channels
        var values =
            inputs[0]?.dense(shape: shape, batch: context.batch)
            ?? [T](repeating: 0, count: context.batch * size)
        for biasItem in items {
            let base = biasItem.item * size
            let channel = biasItem.entry - offset
            if count == 1 {
                for i in 0..<size { values[base + i] += 1 }
            } else {
                for i in stride(from: channel, to: size, by: channels) { values[base + i] += 1 }
            }
        }
        return .full(values, shape: shape)
    }

    /// The gradient summed over positions, per channel or in total for a scalar bias.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func accumulateBiasGradient(
        _ gradient: Patch<T>, batch: Int, into sums: inout [T], biasCount: Int
    ) {
        let size = gradient.values.count / max(batch, 1)
        let channels = gradient.channels
        gradient.values.withUnsafeBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { sums in
                guard let values = values.baseAddress, let sums = sums.baseAddress else { return }
                for item in 0..<batch {
                    let source = values + item * size
                    let target = sums + item * biasCount + offset
                    if count == 1 {
                        var total = target[0]
                        for i in 0..<size { total += source[i] }
                        target[0] = total
                    } else {
                        Vector.sumPositions(
                            source, into: target, positions: size / max(channels, 1),
                            channels: channels)
                    }
                }
            }
        }
    }
}
