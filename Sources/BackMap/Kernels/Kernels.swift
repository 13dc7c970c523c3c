import LinearAlgebra

/// Batched tensor kernels. A batch of `n` feature maps of one ``Shape`` is a flat array of
/// `n · shape.count` scalars, item after item, each item in HWC order. The same kernels serve
/// the forward pass (`n = 1`), forward-mode tangents (one item per tangent direction) and the
/// adjoint (transposed kernels, one item per seed).
enum Kernels {
    /// Upper bound on the scalars of one im2col buffer (32 MiB in float32).
    static let columnBudget = 8 << 20

    // MARK: Convolution

    /// `output = input ⊛ kernel` for a batch of full feature maps.
    static func convolve<T: BLASScalar>(
        _ input: [T], batch: Int, geometry g: WindowGeometry, kernel: [T], outChannels: Int
    ) -> [T] {
        let output = Shape(height: g.outputHeight, width: g.outputWidth, channels: outChannels)
        guard
            let patch = convolve(
                .full(input, shape: g.input), batch: batch, geometry: g, kernel: kernel,
                outChannels: outChannels)
        else { return [T](repeating: 0, count: batch * output.count) }
        return patch.dense(shape: output, batch: batch)
    }

    /// `output = input ⊛ kernel` on the output positions the input patch reaches, via im2col
    /// and one GEMM per chunk of rows (rows = batch items × output positions).
    static func convolve<T: BLASScalar>(
        _ input: Patch<T>, batch: Int, geometry g: WindowGeometry, kernel: [T], outChannels: Int
    ) -> Patch<T>? {
        guard let outRegion = g.outputRegion(forInput: input.region) else { return nil }
        let depth = g.kernelHeight * g.kernelWidth * g.input.channels
        let totalRows = batch * outRegion.positions
        var output = [T](repeating: 0, count: totalRows * outChannels)
        let chunk = max(1, min(totalRows, columnBudget / max(depth, 1)))
        var columns = [T](repeating: 0, count: chunk * depth)
        input.values.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    columns.withUnsafeMutableBufferPointer { cols in
                        var start = 0
                        while start < totalRows {
                            let rows = min(chunk, totalRows - start)
                            im2col(
                                x, inRegion: input.region, geometry: g, outRegion: outRegion,
                                rows: start..<(start + rows), into: cols)
                            let out = UnsafeMutableBufferPointer(
                                rebasing: y[(start * outChannels)...])
                            BLAS.gemm(
                                m: rows, n: outChannels, k: depth,
                                a: UnsafeBufferPointer(cols), b: w, c: out)
                            start += rows
                        }
                    }
                }
            }
        }
        return Patch(values: output, region: outRegion, channels: outChannels)
    }

    /// The transpose of ``convolve``: scatters output gradients back onto the input positions
    /// their windows cover.
    static func convolveTransposed<T: BLASScalar>(
        _ gradient: Patch<T>, batch: Int, geometry g: WindowGeometry, kernel: [T], outChannels: Int
    ) -> Patch<T>? {
        guard let inRegion = g.inputRegion(forOutput: gradient.region) else { return nil }
        let depth = g.kernelHeight * g.kernelWidth * g.input.channels
        let totalRows = batch * gradient.region.positions
        var result = [T](repeating: 0, count: batch * inRegion.positions * g.input.channels)
        let chunk = max(1, min(totalRows, columnBudget / max(depth, 1)))
        var columns = [T](repeating: 0, count: chunk * depth)
        gradient.values.withUnsafeBufferPointer { dy in
            kernel.withUnsafeBufferPointer { w in
                result.withUnsafeMutableBufferPointer { dx in
                    columns.withUnsafeMutableBufferPointer { cols in
                        var start = 0
                        while start < totalRows {
                            let rows = min(chunk, totalRows - start)
                            let slice = UnsafeBufferPointer(rebasing: dy[(start * outChannels)...])
                            BLAS.gemm(
                                transposeB: true, m: rows, n: depth, k: outChannels,
                                a: slice, b: w, ldb: outChannels, c: cols)
                            col2im(
                                UnsafeBufferPointer(cols), inRegion: inRegion, geometry: g,
                                outRegion: gradient.region, rows: start..<(start + rows), into: dx)
                            start += rows
                        }
                    }
                }
            }
        }
        return Patch(values: result, region: inRegion, channels: g.input.channels)
    }

    private static func im2col<T: BLASScalar>(
        _ x: UnsafeBufferPointer<T>, inRegion: Region, geometry g: WindowGeometry,
        outRegion: Region, rows: Range<Int>, into cols: UnsafeMutableBufferPointer<T>
    ) {
        let channels = g.input.channels
        let depth = g.kernelHeight * g.kernelWidth * channels
        let outPositions = outRegion.positions
        let outWidth = outRegion.columns.count
        let inWidth = inRegion.columns.count
        let inCount = inRegion.positions * channels
        for row in rows {
            let item = row / outPositions
            let position = row % outPositions
            let oy = outRegion.rows.lowerBound + position / outWidth
            let ox = outRegion.columns.lowerBound + position % outWidth
            let itemBase = item * inCount
            var destination = (row - rows.lowerBound) * depth
            for ky in 0..<g.kernelHeight {
                let iy = oy * g.stride + ky - g.padTop
                let rowInside = inRegion.rows.contains(iy)
                for kx in 0..<g.kernelWidth {
                    let ix = ox * g.stride + kx - g.padLeft
                    if rowInside, inRegion.columns.contains(ix) {
                        let source =
                            itemBase
                            + ((iy - inRegion.rows.lowerBound) * inWidth
                                + ix - inRegion.columns.lowerBound) * channels
                        for c in 0..<channels { cols[destination + c] = x[source + c] }
                    } else {
                        for c in 0..<channels { cols[destination + c] = 0 }
                    }
                    destination += channels
                }
            }
        }
    }

    private static func col2im<T: BLASScalar>(
        _ cols: UnsafeBufferPointer<T>, inRegion: Region, geometry g: WindowGeometry,
        outRegion: Region, rows: Range<Int>, into dx: UnsafeMutableBufferPointer<T>
    ) {
        let channels = g.input.channels
        let depth = g.kernelHeight * g.kernelWidth * channels
        let outPositions = outRegion.positions
        let outWidth = outRegion.columns.count
        let inWidth = inRegion.columns.count
        let inCount = inRegion.positions * channels
        for row in rows {
            let item = row / outPositions
            let position = row % outPositions
            let oy = outRegion.rows.lowerBound + position / outWidth
            let ox = outRegion.columns.lowerBound + position % outWidth
            let itemBase = item * inCount
            var source = (row - rows.lowerBound) * depth
            for ky in 0..<g.kernelHeight {
                let iy = oy * g.stride + ky - g.padTop
                let rowInside = inRegion.rows.contains(iy)
                for kx in 0..<g.kernelWidth {
                    let ix = ox * g.stride + kx - g.padLeft
                    if rowInside, inRegion.columns.contains(ix) {
                        let destination =
                            itemBase
                            + ((iy - inRegion.rows.lowerBound) * inWidth
                                + ix - inRegion.columns.lowerBound) * channels
                        for c in 0..<channels { dx[destination + c] += cols[source + c] }
                    }
                    source += channels
                }
            }
        }
    }

    // MARK: Dense

    /// `output = input · weight` for a batch (`weight` is `inFeatures × outFeatures`).
    static func dense<T: BLASScalar>(
        _ input: [T], batch: Int, weight: [T], inFeatures: Int, outFeatures: Int
    ) -> [T] {
        var output = [T](repeating: 0, count: batch * outFeatures)
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    BLAS.gemm(m: batch, n: outFeatures, k: inFeatures, a: x, b: w, c: y)
                }
            }
        }
        return output
    }

    /// The transpose of ``dense``.
    static func denseTransposed<T: BLASScalar>(
        _ gradient: [T], batch: Int, weight: [T], inFeatures: Int, outFeatures: Int
    ) -> [T] {
        var result = [T](repeating: 0, count: batch * inFeatures)
        gradient.withUnsafeBufferPointer { dy in
            weight.withUnsafeBufferPointer { w in
                result.withUnsafeMutableBufferPointer { dx in
                    BLAS.gemm(
                        transposeB: true, m: batch, n: inFeatures, k: outFeatures,
                        a: dy, b: w, ldb: outFeatures, c: dx)
                }
            }
        }
        return result
    }

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
    static func averagePool<T: BLASScalar>(_ input: Patch<T>, batch: Int, geometry g: WindowGeometry)
        -> Patch<T>?
    {
        guard let outRegion = g.outputRegion(forInput: input.region) else { return nil }
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
                            for iy in inside {
                                for ix in columns.clamped(to: inRegion.columns) {
                                    let source =
                                        item * inCount
                                        + ((iy - inRegion.rows.lowerBound) * inRegion.columns.count
                                            + ix - inRegion.columns.lowerBound) * channels
                                    for c in 0..<channels { y[out + c] += x[source + c] }
                                }
                            }
                            for c in 0..<channels { y[out + c] *= scale }
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
                            for iy in rows {
                                for ix in columns {
                                    let target =
                                        item * inCount
                                        + ((iy - inRegion.rows.lowerBound) * inRegion.columns.count
                                            + ix - inRegion.columns.lowerBound) * channels
                                    for c in 0..<channels { dx[target + c] += dy[out + c] * scale }
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
        var output = [T](repeating: 0, count: batch * selection.count)
        for item in 0..<batch {
            let inBase = item * inputCount
            let outBase = item * selection.count
            for (out, index) in selection.enumerated() {
                output[outBase + out] = input[inBase + Int(index)]
            }
        }
        return output
    }

    /// The transpose of ``gather`` (a scatter-add).
    static func scatter<T: BLASScalar>(
        _ gradient: [T], batch: Int, inputCount: Int, selection: [Int32]
    ) -> [T] {
        var result = [T](repeating: 0, count: batch * inputCount)
        for item in 0..<batch {
            let inBase = item * inputCount
            let outBase = item * selection.count
            for (out, index) in selection.enumerated() {
                result[inBase + Int(index)] += gradient[outBase + out]
            }
        }
        return result
    }

    /// Mean over positions per channel.
    static func globalAveragePool<T: BLASScalar>(_ input: [T], batch: Int, shape: Shape) -> [T] {
        let channels = shape.channels
        let positions = shape.positions
        var output = [T](repeating: 0, count: batch * channels)
        let scale = 1 / T(positions)
        for item in 0..<batch {
            for position in 0..<positions {
                let base = item * shape.count + position * channels
                for c in 0..<channels { output[item * channels + c] += input[base + c] }
            }
            for c in 0..<channels { output[item * channels + c] *= scale }
        }
        return output
    }

    /// The transpose of ``globalAveragePool``.
    static func globalAveragePoolTransposed<T: BLASScalar>(
        _ gradient: [T], batch: Int, shape: Shape
    ) -> [T] {
        let channels = shape.channels
        let positions = shape.positions
        var result = [T](repeating: 0, count: batch * shape.count)
        let scale = 1 / T(positions)
        for item in 0..<batch {
            for position in 0..<positions {
                let base = item * shape.count + position * channels
                for c in 0..<channels { result[base + c] = gradient[item * channels + c] * scale }
            }
        }
        return result
    }

    // MARK: Channel layout

    /// Copies channel blocks: every input's channels land at `offsets[i]` of `outChannels`.
    static func interleave<T: BLASScalar>(
        _ inputs: [[T]?], channels: [Int], offsets: [Int], outChannels: Int, positions: Int,
        batch: Int
    ) -> [T] {
        var output = [T](repeating: 0, count: batch * positions * outChannels)
        for (part, input) in inputs.enumerated() {
            guard let input else { continue }
            let width = channels[part]
            let offset = offsets[part]
            for row in 0..<(batch * positions) {
                let source = row * width
                let target = row * outChannels + offset
                for c in 0..<width { output[target + c] = input[source + c] }
            }
        }
        return output
    }

    /// Extracts channels `offset ..< offset + width` of a batch with `inChannels` channels.
    static func extract<T: BLASScalar>(
        _ input: [T], offset: Int, width: Int, inChannels: Int, positions: Int, batch: Int
    ) -> [T] {
        var output = [T](repeating: 0, count: batch * positions * width)
        for row in 0..<(batch * positions) {
            let source = row * inChannels + offset
            let target = row * width
            for c in 0..<width { output[target + c] = input[source + c] }
        }
        return output
    }

    // MARK: Element-wise

    /// Multiplies every item of a batch element-wise by `factors` (one per element).
    static func multiply<T: BLASScalar>(_ input: [T], batch: Int, by factors: [T]) -> [T] {
        var output = input
        let count = factors.count
        output.withUnsafeMutableBufferPointer { y in
            factors.withUnsafeBufferPointer { f in
                for item in 0..<batch {
                    let base = item * count
                    for i in 0..<count { y[base + i] *= f[i] }
                }
            }
        }
        return output
    }

    /// Multiplies a patch element-wise by a full-shape mask (a rectifier's slopes).
    static func multiply<T: BLASScalar>(_ patch: Patch<T>, batch: Int, by mask: [T], shape: Shape)
        -> Patch<T>
    {
        if patch.region == .full(shape) {
            return Patch(
                values: multiply(patch.values, batch: batch, by: mask), region: patch.region,
                channels: patch.channels)
        }
        var result = patch
        let stride = patch.region.positions * patch.channels
        result.values.withUnsafeMutableBufferPointer { y in
            mask.withUnsafeBufferPointer { m in
                patch.forEachIndex(shape: shape) { index, flat in
                    for item in 0..<batch { y[item * stride + index] *= m[flat] }
                }
            }
        }
        return result
    }

    /// Multiplies every channel by its factor.
    static func scaleChannels<T: BLASScalar>(_ input: [T], by factors: [T]) -> [T] {
        var output = input
        let channels = factors.count
        for i in output.indices { output[i] *= factors[i % channels] }
        return output
    }

    /// `a += b` element-wise.
    static func accumulate<T: BLASScalar>(_ a: inout [T], _ b: [T]) {
        a.withUnsafeMutableBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                for i in 0..<x.count { x[i] += y[i] }
            }
        }
    }
}
