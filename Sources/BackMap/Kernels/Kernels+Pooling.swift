import LinearAlgebra

extension Kernels {
    // MARK: Pooling

    /// Average pooling of full feature maps, over valid elements only.
    static func averagePool<T: BLASScalar>(_ input: [T], batch: Int, geometry g: WindowGeometry)
        -> [T]
    {
        let output = Shape(height: g.outputHeight, width: g.outputWidth, channels: g.input.channels)
        guard let patch = averagePool(.full(input, shape: g.input), batch: batch, geometry: g) else {
            return [T](repeating: 0, count: batch * output.count)
        }
        return patch.dense(shape: output, batch: batch)
    }

    /// Average pooling over valid elements only (TensorFlow's SAME convention): each window
    /// is divided by the number of its elements inside the image, padding excluded.
    static func averagePool<T: BLASScalar>(
        _ input: Patch<T>, batch: Int, geometry g: WindowGeometry, only: Region? = nil
    )
        -> Patch<T>?
    {
        guard let outRegion = only ?? g.outputRegion(forInput: input.region) else { return nil }
        let channels = g.input.channels
        let inRegion = input.region
        let inCount = inRegion.positions * channels
        let outCount = outRegion.positions * channels
        var output = [T](repeating: 0, count: batch * outCount)
        input.values.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for item in 0..<batch {
                    for oy in outRegion.rows {
                        let rows = g.inputRows(ofOutputRow: oy)
                        let inside = rows.clamped(to: inRegion.rows)
                        for ox in outRegion.columns {
                            let columns = g.inputColumns(ofOutputColumn: ox)
                            let scale = 1 / T(rows.count * columns.count)
                            let out =
                                item * outCount
                                + ((oy - outRegion.rows.lowerBound) * outRegion.columns.count
                                    + ox - outRegion.columns.lowerBound) * channels
                            guard let x = x.baseAddress, let y = y.baseAddress else { return }
                            for iy in inside {
                                for ix in columns.clamped(to: inRegion.columns) {
                                    let source =
                                        item * inCount
                                        + ((iy - inRegion.rows.lowerBound) * inRegion.columns.count
                                            + ix - inRegion.columns.lowerBound) * channels
                                    Vector.add(x + source, into: y + out, count: channels)
                                }
                            }
                            Vector.scale(y + out, by: scale, count: channels)
                        }
                    }
                }
            }
        }
        return Patch(values: output, region: outRegion, channels: channels)
    }

    /// The transpose of ``averagePool``.
    static func averagePoolTransposed<T: BLASScalar>(
        _ gradient: Patch<T>, batch: Int, geometry g: WindowGeometry
    ) -> Patch<T>? {
        guard let inRegion = g.inputRegion(forOutput: gradient.region) else { return nil }
        let channels = g.input.channels
        let outRegion = gradient.region
        let inCount = inRegion.positions * channels
        let outCount = outRegion.positions * channels
        var result = [T](repeating: 0, count: batch * inCount)
        gradient.values.withUnsafeBufferPointer { dy in
            result.withUnsafeMutableBufferPointer { dx in
                for item in 0..<batch {
                    for oy in outRegion.rows {
                        let rows = g.inputRows(ofOutputRow: oy)
                        for ox in outRegion.columns {
                            let columns = g.inputColumns(ofOutputColumn: ox)
                            let scale = 1 / T(rows.count * columns.count)
                            let out =
                                item * outCount
                                + ((oy - outRegion.rows.lowerBound) * outRegion.columns.count
                                    + ox - outRegion.columns.lowerBound) * channels
                            guard let dy = dy.baseAddress, let dx = dx.baseAddress else { return }
                            for iy in rows {
                                for ix in columns {
                                    let target =
                                        item * inCount
                                        + ((iy - inRegion.rows.lowerBound) * inRegion.columns.count
                                            + ix - inRegion.columns.lowerBound) * channels
                                    Vector.add(dy + out, scaledBy: scale, into: dx + target, count: channels)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Patch(values: result, region: inRegion, channels: channels)
    }

    /// Max pooling of one feature map; returns the values and, per output element, the flat
    /// input index of the selected element (the first maximum in row-major window order).
    static func maxPool<T: BLASScalar>(_ input: [T], geometry g: WindowGeometry)
        -> (values: [T], selection: [Int32])
    {
        let channels = g.input.channels
        var values = [T](repeating: 0, count: g.outputPositions * channels)
        var selection = [Int32](repeating: 0, count: values.count)
        for oy in 0..<g.outputHeight {
            let rows = g.inputRows(ofOutputRow: oy)
            for ox in 0..<g.outputWidth {
                let columns = g.inputColumns(ofOutputColumn: ox)
                for c in 0..<channels {
                    var best = -T.infinity
                    var bestIndex = -1
                    for iy in rows {
                        for ix in columns {
                            let index = (iy * g.input.width + ix) * channels + c
                            if input[index] > best || bestIndex < 0 {
                                best = input[index]
                                bestIndex = index
                            }
                        }
                    }
                    let out = (oy * g.outputWidth + ox) * channels + c
                    values[out] = best
                    selection[out] = Int32(bestIndex)
                }
            }
        }
        return (values, selection)
    }

    /// Applies a recorded max-pool selection to a batch (a gather).
    static func gather<T: BLASScalar>(
        _ input: [T], batch: Int, inputCount: Int, selection: [Int32]
    ) -> [T] {
        precondition(input.count >= batch * inputCount, "gather: input smaller than the batch")
        precondition(
            selection.allSatisfy { (0..<Int32(inputCount)).contains($0) }, "gather: index out of range")
        var output: [T] = uninitialized(batch * selection.count)  // every element written
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                selection.withUnsafeBufferPointer { chosen in
                    guard var x = x.baseAddress, var y = y.baseAddress, let chosen = chosen.baseAddress
                    else { return }
                    for _ in 0..<batch {
                        for out in 0..<selection.count { y[out] = x[Int(chosen[out])] }
                        x += inputCount
                        y += selection.count
                    }
                }
            }
        }
        return output
    }

    /// The transpose of ``gather`` (a scatter-add).
    static func scatter<T: BLASScalar>(
        _ gradient: [T], batch: Int, inputCount: Int, selection: [Int32]
    ) -> [T] {
        precondition(gradient.count >= batch * selection.count, "scatter: gradient smaller than the batch")
        precondition(
            selection.allSatisfy { (0..<Int32(inputCount)).contains($0) }, "scatter: index out of range")
        var result = [T](repeating: 0, count: batch * inputCount)
        gradient.withUnsafeBufferPointer { dy in
            result.withUnsafeMutableBufferPointer { dx in
                selection.withUnsafeBufferPointer { chosen in
                    guard var dy = dy.baseAddress, var dx = dx.baseAddress, let chosen = chosen.baseAddress
                    else { return }
                    for _ in 0..<batch {
                        for out in 0..<selection.count { dx[Int(chosen[out])] += dy[out] }
                        dx += inputCount
                        dy += selection.count
                    }
                }
            }
        }
        return result
    }

    /// Mean over positions per channel.
    static func globalAveragePool<T: BLASScalar>(_ input: [T], batch: Int, shape: Shape) -> [T] {
        let channels = shape.channels
        let positions = shape.positions
        precondition(input.count >= batch * shape.count, "globalAveragePool: input smaller than the batch")
        var output = [T](repeating: 0, count: batch * channels)
        let scale = 1 / T(positions)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                for item in 0..<batch {
                    let sums = y + item * channels
                    Vector.sumPositions(
                        x + item * shape.count, into: sums, positions: positions, channels: channels)
                    Vector.scale(sums, by: scale, count: channels)
                }
            }
        }
        return output
    }

    /// The transpose of ``globalAveragePool``.
    static func globalAveragePoolTransposed<T: BLASScalar>(
        _ gradient: [T], batch: Int, shape: Shape
    ) -> [T] {
        let channels = shape.channels
        let positions = shape.positions
        precondition(gradient.count >= batch * channels, "globalAveragePoolTransposed: gradient too small")
        var result: [T] = uninitialized(batch * shape.count)  // every element written
        let scale = 1 / T(positions)
        gradient.withUnsafeBufferPointer { dy in
            result.withUnsafeMutableBufferPointer { dx in
                guard let dy = dy.baseAddress, var dx = dx.baseAddress else { return }
                for item in 0..<batch {
                    let source = dy + item * channels
                    for _ in 0..<positions {
                        for c in 0..<channels { dx[c] = source[c] * scale }
                        dx += channels
                    }
                }
            }
        }
        return result
    }

}
