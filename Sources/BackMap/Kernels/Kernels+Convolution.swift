import Foundation
import LinearAlgebra
import Synchronization

extension Kernels {
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
