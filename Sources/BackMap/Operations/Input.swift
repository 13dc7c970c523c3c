import LinearAlgebra

/// The network input (exactly one per network, the first node).
struct Input<T: BLASScalar>: NetworkOperation {
    func outputShape(inputs: [Shape], node: String) throws -> Shape {
        throw NetworkError(node: node, message: "a network has exactly one input node")
    }

    func evaluate(_ inputs: [[T]], shapes: NodeShapes, image: [T], node: String) throws -> [T] {
        image
    }

    func fold(_ index: Int, inputs: [Int], into builder: inout FoldingBuilder<T>) throws -> Int {
        builder.append(
            builder.network.nodes[index].name, FoldedInput<T>(), inputs: [],
            shape: builder.network.nodes[index].shape)
    }
}

extension Operation {
    /// The network input (exactly one per network, the first node).
    public static var input: Operation { Operation(Input()) }
}

/// The image `x`, scaled by `k`; its tangent is one-hot in each image direction.
struct FoldedInput<T: BLASScalar>: FoldedOperator {
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ inputs: [[T]], context: ForwardContext<T>) -> NodeOutput<T> {
        let image = context.image
        return NodeOutput(values: context.scale == 1 ? image : Kernels.scaled(image, by: context.scale))
    }

    func applyLinear(_ inputs: [Patch<T>?], batch: Int, shapes: NodeShapes, pattern: NodePattern<T>)
        -> Patch<T>?
    {
        preconditionFailure("the input node has no linear part")
    }

    func applyTransposed(
        _ gradient: Patch<T>, batch: Int, shapes: NodeShapes, pattern: NodePattern<T>
    ) -> [Patch<T>?] {
        preconditionFailure("the input node has no linear part")
    }

    /// One-hot tangents of the image directions, over the bounding box of their pixels.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func propagateTangent(_ inputs: [Patch<T>?], context: TangentContext<T>) -> Patch<T>? {
        let shape = context.shapes.output
        let pixels = context.directions.enumerated().compactMap { item, direction -> (Int, Int)? in
            guard case .image(let pixel) = direction else { return nil }
            return (item, pixel)
        }
        guard !pixels.isEmpty else { return nil }
        var rowLow = Int.max
        var rowHigh = 0
        var columnLow = Int.max
        var columnHigh = 0
        for (_, pixel) in pixels {
            let position = pixel / shape.channels
            let row = position / shape.width
            let column = position % shape.width
            rowLow = min(rowLow, row)
            rowHigh = max(rowHigh, row + 1)
            columnLow = min(columnLow, column)
            columnHigh = max(columnHigh, column + 1)
        }
        let rows = rowLow..<rowHigh
        let columns = columnLow..<columnHigh
        let region = Region(rows: rows, columns: columns)
        let stride = region.positions * shape.channels
        var values = [T](repeating: 0, count: context.batch * stride)
        for (item, pixel) in pixels {
            let position = pixel / shape.channels
            let channel = pixel % shape.channels
            let row = position / shape.width - rows.lowerBound
            let column = position % shape.width - columns.lowerBound
            values[item * stride + (row * region.columns.count + column) * shape.channels + channel] = 1
        }
        return Patch(values: values, region: region, channels: shape.channels)
    }
}
