import LinearAlgebra

/// Concatenation along channels of inputs with the same height and width.
struct Concatenate<T: BLASScalar>: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        guard inputs.count >= 2,
            inputs.allSatisfy({ $0.height == inputs[0].height && $0.width == inputs[0].width })
        else {
            throw NetworkError(
                node: node, message: "concatenate needs two or more inputs of one size, got \(inputs)")
        }
        return Shape(
            height: inputs[0].height, width: inputs[0].width,
            channels: inputs.reduce(0) { $0 + $1.channels })
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        let channels = shapes.inputs.map(\.channels)
        let offsets = channels.indices.map { channels[..<$0].reduce(0, +) }
        return Kernels.interleave(
            inputs.map { Optional($0) }, channels: channels, offsets: offsets,
            outChannels: shapes.output.channels, positions: shapes.output.positions, batch: 1)
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.append(
            builder.network.nodes[index].name, FoldedConcatenate<T>(), inputs: inputs,
            shape: builder.network.nodes[index].shape)
    }
}

extension Operation {
    /// Concatenation along channels of inputs with the same height and width.
    public static var concatenate: Operation { Operation(Concatenate()) }
}

/// The folded concatenation; the adjoint hands each input its block of channels.
struct FoldedConcatenate<T: BLASScalar>: FoldedOperator {
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        let present = inputs.compactMap { $0 }
        guard let first = present.first else { return nil }
        let region = present.dropFirst().reduce(first.region) { $0.union($1.region) }
        let channels = shapes.inputs.map(\.channels)
        let offsets = channels.indices.map { channels[..<$0].reduce(0, +) }
        let values = Kernels.interleave(
            inputs.map { $0?.embedded(in: region, batch: batch).values }, channels: channels,
            offsets: offsets, outChannels: shapes.output.channels, positions: region.positions,
            batch: batch)
        return Patch(values: values, region: region, channels: shapes.output.channels)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        var offset = 0
        return shapes.inputs.map { shape in
            defer { offset += shape.channels }
            let values = Kernels.extract(
                gradient.values, offset: offset, width: shape.channels,
                inChannels: shapes.output.channels, positions: gradient.region.positions,
                batch: batch)
            return Patch(values: values, region: gradient.region, channels: shape.channels)
        }
    }
}
