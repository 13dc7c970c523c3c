import Foundation
import LinearAlgebra
import Synchronization

/// Batched tensor kernels. A batch of `n` feature maps of one ``Shape`` is a flat array of
/// `n · shape.count` scalars, item after item, each item in HWC order. The same kernels serve
/// the forward pass (`n = 1`), forward-mode tangents (one item per tangent direction) and the
/// adjoint (transposed kernels, one item per seed).
enum Kernels {
    /// Upper bound on the scalars of one im2col buffer (32 MiB in float32).
    static let columnBudget = 1 << 20

    /// An array whose every element the caller overwrites before reading (GEMM outputs with
    /// β = 0, im2col buffers); skips zero-filling, which costs as much as a copy.
    @inline(__always)
    static func uninitialized<T: BLASScalar>(_ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

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

    /// Rows (of the im2col matrix) per part when a product is split across threads: about
    /// half a million multiply-adds, below which a thread's start-up costs more than it saves.
    private static func minimumRowsPerPart(depth: Int, outChannels: Int) -> Int {
        max(16, 500_000 / max(1, depth * outChannels))
    }

    /// `output = input ⊛ kernel` on the output positions the input patch reaches, via im2col
    /// and one GEMM per chunk of rows (rows = batch items × output positions). Large products
    /// are split by rows across threads.
    ///
    /// - Parameter only: Compute these output positions only (a forward pass restricted to a
    ///   receptive cone, whose windows lie inside the input patch or outside the map).
    static func convolve<T: BLASScalar>(
        _ input: Patch<T>, batch: Int, geometry g: WindowGeometry, kernel: [T], outChannels: Int,
        only: Region? = nil
    ) -> Patch<T>? {
        guard let outRegion = only ?? g.outputRegion(forInput: input.region) else { return nil }
        let depth = g.kernelHeight * g.kernelWidth * g.input.channels
        let totalRows = batch * outRegion.positions
        // Overwritten completely: every row by a GEMM with β = 0.
        var output: [T] = uninitialized(totalRows * outChannels)
        let inRegion = input.region
        input.values.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    let (x, w, y) = (SharedBuffer(x), SharedBuffer(w), SharedBuffer(y))
                    ParallelWork.split(
                        totalRows, minimumPerPart: minimumRowsPerPart(depth: depth, outChannels: outChannels)
                    ) { part, _ in
                        let chunk = max(1, min(part.count, columnBudget / max(depth, 1)))
                        var columns: [T] = uninitialized(chunk * depth)  // filled by im2col
                        columns.withUnsafeMutableBufferPointer { cols in
                            var start = part.lowerBound
                            while start < part.upperBound {
                                let rows = min(chunk, part.upperBound - start)
                                im2col(
                                    x.readable, inRegion: inRegion, geometry: g, outRegion: outRegion,
                                    rows: start..<(start + rows), into: cols)
                                let out = UnsafeMutableBufferPointer(
                                    rebasing: y.writable[(start * outChannels)...])
                                BLAS.gemm(
                                    m: rows, n: outChannels, k: depth,
                                    a: UnsafeBufferPointer(cols), b: w.readable, c: out)
                                start += rows
                            }
                        }
                    }
                }
            }
        }
        return Patch(values: output, region: outRegion, channels: outChannels)
    }

    /// The transpose of ``convolve``: scatters output gradients back onto the input positions
    /// their windows cover. Large products are split by rows across threads, each part
    /// scattering into its own buffer; the buffers are added in part order.
    static func convolveTransposed<T: BLASScalar>(
        _ gradient: Patch<T>, batch: Int, geometry g: WindowGeometry, kernel: [T], outChannels: Int
    ) -> Patch<T>? {
        guard let inRegion = g.inputRegion(forOutput: gradient.region) else { return nil }
        let depth = g.kernelHeight * g.kernelWidth * g.input.channels
        let totalRows = batch * gradient.region.positions
        let resultCount = batch * inRegion.positions * g.input.channels
        let outRegion = gradient.region
        let parts = ResultBuffers<T>()
        gradient.values.withUnsafeBufferPointer { dy in
            kernel.withUnsafeBufferPointer { w in
                let (dy, w) = (SharedBuffer(dy), SharedBuffer(w))
                ParallelWork.split(
                    totalRows, minimumPerPart: minimumRowsPerPart(depth: depth, outChannels: outChannels)
                ) { part, index in
                    var result = [T](repeating: 0, count: resultCount)
                    let chunk = max(1, min(part.count, columnBudget / max(depth, 1)))
                    var columns: [T] = uninitialized(chunk * depth)  // written by GEMM with β = 0
                    result.withUnsafeMutableBufferPointer { dx in
                        columns.withUnsafeMutableBufferPointer { cols in
                            var start = part.lowerBound
                            while start < part.upperBound {
                                let rows = min(chunk, part.upperBound - start)
                                let slice = UnsafeBufferPointer(
                                    rebasing: dy.readable[(start * outChannels)...])
                                BLAS.gemm(
                                    transposeB: true, m: rows, n: depth, k: outChannels,
                                    a: slice, b: w.readable, ldb: outChannels, c: cols)
                                col2im(
                                    UnsafeBufferPointer(cols), inRegion: inRegion, geometry: g,
                                    outRegion: outRegion, rows: start..<(start + rows), into: dx)
                                start += rows
                            }
                        }
                    }
                    parts.store(result, at: index)
                }
            }
        }
        var buffers = parts.inOrder
        var result = buffers.removeFirst()
        for other in buffers { accumulate(&result, other) }
        return Patch(values: result, region: inRegion, channels: g.input.channels)
    }

    /// The run of kernel columns `kx` whose input column `ox·stride + kx − padLeft` lies in
    /// `columns`, as `(first kx, count, first input column)`.
    @inline(__always)
    private static func kernelRun(
        outputColumn ox: Int, geometry g: WindowGeometry, inside columns: Range<Int>
    ) -> (kx: Int, count: Int, ix: Int) {
        let start = ox * g.stride - g.padLeft
        let first = max(0, columns.lowerBound - start)
        let last = min(g.kernelWidth, columns.upperBound - start)
        return (first, max(0, last - first), start + first)
    }

    /// Fills rows `rows` of the im2col matrix: one row per (item, output position), each the
    /// `kernelHeight × kernelWidth × channels` window in HWC order, zero outside `inRegion`.
    /// Inside one kernel row the window's columns are contiguous in memory, so each kernel row
    /// is one block copy.
    private static func im2col<T: BLASScalar>(
        _ x: UnsafeBufferPointer<T>, inRegion: Region, geometry g: WindowGeometry,
        outRegion: Region, rows: Range<Int>, into cols: UnsafeMutableBufferPointer<T>
    ) {
        guard let source = x.baseAddress, let target = cols.baseAddress else { return }
        let channels = g.input.channels
        let rowWidth = g.kernelWidth * channels
        let depth = g.kernelHeight * rowWidth
        let outPositions = outRegion.positions
        let outWidth = outRegion.columns.count
        let inWidth = inRegion.columns.count
        let inCount = inRegion.positions * channels
        for row in rows {
            let item = row / outPositions
            let position = row % outPositions
            let oy = outRegion.rows.lowerBound + position / outWidth
            let ox = outRegion.columns.lowerBound + position % outWidth
            let run = kernelRun(outputColumn: ox, geometry: g, inside: inRegion.columns)
            let destinationRow = target + (row - rows.lowerBound) * depth
            for ky in 0..<g.kernelHeight {
                let destination = destinationRow + ky * rowWidth
                let iy = oy * g.stride + ky - g.padTop
                guard run.count > 0, inRegion.rows.contains(iy) else {
                    destination.update(repeating: 0, count: rowWidth)
                    continue
                }
                let before = run.kx * channels
                let copied = run.count * channels
                if before > 0 { destination.update(repeating: 0, count: before) }
                let from =
                    source + item * inCount
                    + ((iy - inRegion.rows.lowerBound) * inWidth + run.ix - inRegion.columns.lowerBound)
                    * channels
                (destination + before).update(from: from, count: copied)
                let after = rowWidth - before - copied
                if after > 0 { (destination + before + copied).update(repeating: 0, count: after) }
            }
        }
    }

    /// The transpose of ``im2col``: adds every im2col row back onto its window.
    private static func col2im<T: BLASScalar>(
        _ cols: UnsafeBufferPointer<T>, inRegion: Region, geometry g: WindowGeometry,
        outRegion: Region, rows: Range<Int>, into dx: UnsafeMutableBufferPointer<T>
    ) {
        guard let source = cols.baseAddress, let target = dx.baseAddress else { return }
        let channels = g.input.channels
        let rowWidth = g.kernelWidth * channels
        let depth = g.kernelHeight * rowWidth
        let outPositions = outRegion.positions
        let outWidth = outRegion.columns.count
        let inWidth = inRegion.columns.count
        let inCount = inRegion.positions * channels
        for row in rows {
            let item = row / outPositions
            let position = row % outPositions
            let oy = outRegion.rows.lowerBound + position / outWidth
            let ox = outRegion.columns.lowerBound + position % outWidth
            let run = kernelRun(outputColumn: ox, geometry: g, inside: inRegion.columns)
            guard run.count > 0 else { continue }
            let sourceRow = source + (row - rows.lowerBound) * depth
            for ky in 0..<g.kernelHeight {
                let iy = oy * g.stride + ky - g.padTop
                guard inRegion.rows.contains(iy) else { continue }
                let from = sourceRow + ky * rowWidth + run.kx * channels
                let to =
                    target + item * inCount
                    + ((iy - inRegion.rows.lowerBound) * inWidth + run.ix - inRegion.columns.lowerBound)
                    * channels
                for i in 0..<(run.count * channels) { to[i] += from[i] }
            }
        }
    }

    // MARK: Dense

    /// `output = input · weight` for a batch (`weight` is `inFeatures × outFeatures`).
    static func dense<T: BLASScalar>(
        _ input: [T], batch: Int, weight: [T], inFeatures: Int, outFeatures: Int
    ) -> [T] {
        var output: [T] = uninitialized(batch * outFeatures)  // GEMM with β = 0
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
        var result: [T] = uninitialized(batch * inFeatures)  // GEMM with β = 0
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
            precondition(
                input.count >= batch * positions * width && offset + width <= outChannels,
                "interleave: part \(part) does not fit")
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    guard let x = x.baseAddress, let y = y.baseAddress else { return }
                    Vector.copyRows(
                        x, stride: width, into: y + offset, stride: outChannels,
                        rows: batch * positions, width: width)
                }
            }
        }
        return output
    }

    /// Extracts channels `offset ..< offset + width` of a batch with `inChannels` channels.
    static func extract<T: BLASScalar>(
        _ input: [T], offset: Int, width: Int, inChannels: Int, positions: Int, batch: Int
    ) -> [T] {
        precondition(
            offset + width <= inChannels && input.count >= batch * positions * inChannels,
            "extract: channels \(offset)..<\(offset + width) outside the input")
        var output: [T] = uninitialized(batch * positions * width)  // every element written
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                Vector.copyRows(
                    x + offset, stride: inChannels, into: y, stride: width,
                    rows: batch * positions, width: width)
            }
        }
        return output
    }

    // MARK: Element-wise

    /// `input · factor` element-wise.
    static func scaled<T: BLASScalar>(_ input: [T], by factor: T) -> [T] {
        [T](unsafeUninitializedCapacity: input.count) { output, initialized in
            input.withUnsafeBufferPointer { x in
                guard let x = x.baseAddress, let y = output.baseAddress else { return }
                for i in 0..<input.count { y[i] = x[i] * factor }
            }
            initialized = input.count
        }
    }

    /// The rows of `region` as ranges of flat HWC indices of `shape` (the whole map as one
    /// range when `region` is nil or full).
    private static func spans(of region: Region?, in shape: Shape) -> [Range<Int>] {
        guard let region, region != .full(shape) else { return [0..<shape.count] }
        return region.rows.map { row in
            let start = (row * shape.width + region.columns.lowerBound) * shape.channels
            return start..<(start + region.columns.count * shape.channels)
        }
    }

    /// Adds `biases[c]` to every element of channel `c` of one HWC map; only inside `region`
    /// when one is given (the rest of the result is zero).
    static func addingBias<T: BLASScalar>(
        _ input: [T], shape: Shape, biases: [T], region: Region? = nil
    ) -> [T] {
        let channels = shape.channels
        precondition(biases.count == channels, "addingBias: one bias per channel")
        precondition(input.count == shape.count, "addingBias: input is not one \(shape) map")
        let whole = region == nil || region == .full(shape)
        var output: [T] = whole ? uninitialized(input.count) : [T](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { x in
            biases.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { y in
                    guard let x = x.baseAddress, let b = b.baseAddress, let y = y.baseAddress else { return }
                    for span in spans(of: region, in: shape) {
                        Vector.addBias(
                            x + span.lowerBound, b, into: y + span.lowerBound,
                            positions: span.count / channels, channels: channels)
                    }
                }
            }
        }
        return output
    }

    /// A rectifier's output and derivative (1 where the input is positive, else the slope);
    /// only inside `region` when one is given (the rest of both is zero).
    static func rectify<T: BLASScalar>(
        _ input: [T], negativeSlope: T, shape: Shape, region: Region? = nil
    ) -> (values: [T], slopes: [T]) {
        precondition(input.count == shape.count, "rectify: input is not one \(shape) map")
        let whole = region == nil || region == .full(shape)
        var slopes: [T] = whole ? uninitialized(input.count) : [T](repeating: 0, count: input.count)
        var values: [T] = whole ? uninitialized(input.count) : [T](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { x in
            slopes.withUnsafeMutableBufferPointer { d in
                values.withUnsafeMutableBufferPointer { y in
                    guard let x = x.baseAddress, let d = d.baseAddress, let y = y.baseAddress else { return }
                    for span in spans(of: region, in: shape) {
                        let (x, d, y) = (x + span.lowerBound, d + span.lowerBound, y + span.lowerBound)
                        // Two simple loops (each vectorises); `v · 1 = v`, so `y = x · slope`.
                        for i in 0..<span.count { d[i] = x[i] > 0 ? 1 : negativeSlope }
                        for i in 0..<span.count {
                            let v = x[i]
                            y[i] = v > 0 ? v : v * negativeSlope
                        }
                    }
                }
            }
        }
        return (values, slopes)
    }

    /// Multiplies every item of a batch element-wise by `factors` (one per element).
    static func multiply<T: BLASScalar>(_ input: [T], batch: Int, by factors: [T]) -> [T] {
        precondition(input.count == batch * factors.count, "multiply: one factor per element")
        var output: [T] = uninitialized(input.count)  // every element written
        let count = factors.count
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                factors.withUnsafeBufferPointer { f in
                    guard let x = x.baseAddress, let y = y.baseAddress, let f = f.baseAddress else { return }
                    for item in 0..<batch {
                        Vector.multiply(x + item * count, by: f, into: y + item * count, count: count)
                    }
                }
            }
        }
        return output
    }

    /// Multiplies a patch element-wise by a full-shape mask (a rectifier's slopes).
    static func multiply<T: BLASScalar>(_ patch: Patch<T>, batch: Int, by mask: [T], shape: Shape)
        -> Patch<T>
    {
        precondition(
            mask.count == shape.count
                && patch.values.count == batch * patch.region.positions * patch.channels,
            "multiply: mask or patch does not match \(shape)")
        if patch.region == .full(shape) {
            return Patch(
                values: multiply(patch.values, batch: batch, by: mask), region: patch.region,
                channels: patch.channels)
        }
        var result = patch
        let region = patch.region
        let stride = region.positions * patch.channels
        let width = region.columns.count * patch.channels
        result.values.withUnsafeMutableBufferPointer { y in
            mask.withUnsafeBufferPointer { m in
                guard let y = y.baseAddress, let m = m.baseAddress else { return }
                for item in 0..<batch {
                    for row in region.rows {
                        let local = item * stride + (row - region.rows.lowerBound) * width
                        let flat = (row * shape.width + region.columns.lowerBound) * shape.channels
                        Vector.multiply(y + local, by: m + flat, count: width)
                    }
                }
            }
        }
        return result
    }

    /// Multiplies every channel by its factor.
    static func scaleChannels<T: BLASScalar>(_ input: [T], by factors: [T]) -> [T] {
        var output = input
        let channels = factors.count
        output.withUnsafeMutableBufferPointer { y in
            factors.withUnsafeBufferPointer { f in
                guard var y = y.baseAddress, let f = f.baseAddress else { return }
                for _ in 0..<(input.count / max(channels, 1)) {
                    Vector.multiply(y, by: f, count: channels)
                    y += channels
                }
            }
        }
        return output
    }

    /// `a += b` element-wise.
    static func accumulate<T: BLASScalar>(_ a: inout [T], _ b: [T]) {
        let count = a.count
        precondition(count == b.count, "accumulate: sizes differ")
        a.withUnsafeMutableBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                Vector.add(y, into: x, count: count)
            }
        }
    }
}

/// Per-part results of a split product, collected from the parts' threads.
private final class ResultBuffers<T: BLASScalar>: Sendable {
    private let buffers = Mutex<[Int: [T]]>([:])

    func store(_ buffer: [T], at index: Int) {
        buffers.withLock { $0[index] = buffer }
    }

    /// The buffers in part order.
    var inOrder: [[T]] {
        buffers.withLock { buffers in buffers.keys.sorted().compactMap { buffers[$0] } }
    }
}
