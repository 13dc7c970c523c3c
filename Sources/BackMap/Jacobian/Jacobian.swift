import LinearAlgebra

/// A coordinate direction of the joint input `[x; x_b]`.
public enum Direction: Hashable, Sendable {
    /// Pixel `index` of the image (flat HWC index).
    case image(Int)
    /// Entry `index` of the bias vector `x_b`.
    case bias(Int)
}

/// The Jacobian of every unit of one layer with respect to `[x; x_b]`: row `u` is the
/// effective hypersurface of unit `u` (RM2 for a convolution, RM0 for a dense layer).
public struct LayerJacobian<T: BLASScalar>: Sendable {
    /// The layer.
    public var layer: Layer
    /// `units × jointInputCount`, row-major; columns are the image pixels (HWC) then `x_b`.
    public var matrix: Matrix<T>
    /// Number of image columns (the rest are bias columns).
    public var imageCount: Int

    /// `H^I` of unit `unit` (HWC).
    public func image(ofUnit unit: Int) -> ArraySlice<T> {
        let start = unit * matrix.columns
        return matrix.storage[start..<(start + imageCount)]
    }

    /// `H^b` of unit `unit`.
    public func bias(ofUnit unit: Int) -> ArraySlice<T> {
        let start = unit * matrix.columns
        return matrix.storage[(start + imageCount)..<(start + matrix.columns)]
    }
}

extension FoldedNetwork {
    /// The joint-input directions, in chunks: image pixels first, grouped in square tiles (all
    /// channels of a tile in one chunk, so that a chunk's tangents stay inside the tile's
    /// receptive field), then the bias entries in layer order.
    func directionChunks(size: Int) -> [[Direction]] {
        let shape = inputShape
        let side = max(1, Int((Double(max(size, 1)) / Double(shape.channels)).squareRoot()))
        var chunks: [[Direction]] = []
        for top in stride(from: 0, to: shape.height, by: side) {
            for left in stride(from: 0, to: shape.width, by: side) {
                var chunk: [Direction] = []
                for row in top..<min(top + side, shape.height) {
                    for column in left..<min(left + side, shape.width) {
                        for channel in 0..<shape.channels {
                            chunk.append(.image(shape.index(row: row, column: column, channel: channel)))
                        }
                    }
                }
                chunks.append(chunk)
            }
        }
        var start = 0
        while start < biasValues.count {
            let end = min(start + max(size, 1), biasValues.count)
            chunks.append((start..<end).map { .bias($0) })
            start = end
        }
        return chunks
    }

    /// Forward-mode propagation of a batch of joint-input directions with the activation
    /// pattern of `pass` fixed. Calls `visit` with every layer's tangent batch (`nil` when it
    /// is identically zero).
    ///
    /// Tangents are patches: an image direction's tangent is non-zero only inside its
    /// receptive field, and a bias direction's tangent is zero before its own bias node, so
    /// neither is computed there. Every tangent is freed after its last reader.
    ///
    /// - Returns: The floating-point operations of the convolution and dense products.
    @discardableResult
    func propagateTangents(
        _ directions: [Direction], pass: ForwardPass<T>, through lastNode: Int,
        visit: (Layer, Patch<T>?) -> Void
    ) -> Double {
        var flops = 0.0
        let batch = directions.count
        var tangents = [Patch<T>?](repeating: nil, count: nodes.count)
        var layerAtNode = [Int: Layer]()
        for layer in layers { layerAtNode[layer.node] = layer }
        var biasItems: [(item: Int, entry: Int)] = []
        for (item, direction) in directions.enumerated() {
            if case .bias(let entry) = direction { biasItems.append((item: item, entry: entry)) }
        }
        for index in 0...lastNode {
            let node = nodes[index]
            let context = TangentContext(
                directions: directions, biasItems: biasItems, shapes: node.shapes,
                pattern: pattern(at: index, of: pass))
            let result = node.operation.propagateTangent(
                node.inputs.map { tangents[$0] }, context: context)
            let perItem = node.operation.productFlops
            if let result, perItem > 0 {
                let perPosition = perItem / Double(node.shape.positions)
                flops += Double(batch * result.region.positions) * perPosition
            }
            tangents[index] = result
            for input in node.inputs where lastUse[input] <= index { tangents[input] = nil }
            if let layer = layerAtNode[index] { visit(layer, result) }
        }
        return flops
    }

    /// The full Jacobian of one layer with respect to `[x; x_b]`, by forward-mode tangent
    /// propagation in chunks of directions (batched GEMMs, one chunk in memory at a time).
    ///
    /// - Parameters:
    ///   - image: The input `x`.
    ///   - layer: Index into ``layers``.
    ///   - scale: `k` of the evaluation point `z = k·[x; x_b]`.
    ///   - chunkSize: Directions propagated together.
    /// - Complexity: Memory `units × jointInputCount` for the result.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func jacobian(_ image: [T], layer index: Int, scale: Double = 0.125, chunkSize: Int = 12)
        throws -> LayerJacobian<T>
    {
        guard layers.indices.contains(index) else {
            throw BackMapError.layerOutOfRange(layer: index, layerCount: layers.count, mode: nil)
        }
        let layer = layers[index]
        let pass = try forward(image, scale: T(scale))
        let columns = jointInputCount
        var matrix = Matrix<T>(rows: layer.units, columns: columns)
        let imageCount = inputShape.count
        let chunks = directionChunks(size: chunkSize)
        // Chunks run on every core; each returns its tangents at the layer, written into the
        // chunk's own columns on the calling thread.
        ParallelWork.run(count: chunks.count) { chunkIndex in
            var result: Patch<T>?
            propagateTangents(chunks[chunkIndex], pass: pass, through: layer.node) { visited, tangent in
                if visited.index == index { result = tangent }
            }
            return result
        } consume: { chunkIndex, tangent in
            guard let tangent else { return }
            let chunk = chunks[chunkIndex]
            let stride = tangent.region.positions * tangent.channels
            for (item, direction) in chunk.enumerated() {
                let column: Int
                switch direction {
                case .image(let pixel): column = pixel
                case .bias(let entry): column = imageCount + entry
                }
                tangent.forEachIndex(shape: layer.shape) { local, unit in
                    matrix.storage[unit * columns + column] = tangent.values[item * stride + local]
                }
            }
        }
        return LayerJacobian(layer: layer, matrix: matrix, imageCount: imageCount)
    }
}
