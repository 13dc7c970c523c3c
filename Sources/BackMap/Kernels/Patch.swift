import LinearAlgebra

/// A rectangle of spatial positions of a feature map.
struct Region: Hashable, Sendable {
    var rows: Range<Int>
    var columns: Range<Int>

    /// Every position of `shape`.
    static func full(_ shape: Shape) -> Region {
        Region(rows: 0..<shape.height, columns: 0..<shape.width)
    }

    var positions: Int { rows.count * columns.count }

    /// The smallest region containing both.
    func union(_ other: Region) -> Region {
        let rowLow = min(rows.lowerBound, other.rows.lowerBound)
        let rowHigh = max(rows.upperBound, other.rows.upperBound)
        let columnLow = min(columns.lowerBound, other.columns.lowerBound)
        let columnHigh = max(columns.upperBound, other.columns.upperBound)
        return Region(rows: rowLow..<rowHigh, columns: columnLow..<columnHigh)
    }

    func contains(_ other: Region) -> Bool {
        rows.lowerBound <= other.rows.lowerBound && other.rows.upperBound <= rows.upperBound
            && columns.lowerBound <= other.columns.lowerBound
            && other.columns.upperBound <= columns.upperBound
    }
}

/// A batch of feature maps that are zero outside `region`: `batch × region.positions ×
/// channels` values, each item in HWC order over the region only.
///
/// Tangents of image directions and adjoint seeds of single units touch only their receptive
/// field; patches let every kernel skip the positions that are known to be zero.
struct Patch<T: BLASScalar>: Sendable {
    var values: [T]
    var region: Region
    var channels: Int

    /// A patch covering the whole shape.
    static func full(_ values: [T], shape: Shape) -> Patch {
        Patch(values: values, region: .full(shape), channels: shape.channels)
    }

    /// The tightest patch around the non-zero entries of a dense batch (nil if all zero).
    static func cropping(_ values: [T], shape: Shape, batch: Int) -> Patch? {
        var rowLow = Int.max
        var rowHigh = -1
        var columnLow = Int.max
        var columnHigh = -1
        for (index, value) in values.enumerated() where value != 0 {
            let position = (index % shape.count) / shape.channels
            let row = position / shape.width
            let column = position % shape.width
            rowLow = min(rowLow, row)
            rowHigh = max(rowHigh, row)
            columnLow = min(columnLow, column)
            columnHigh = max(columnHigh, column)
        }
        guard rowHigh >= 0 else { return nil }
        let region = Region(rows: rowLow..<(rowHigh + 1), columns: columnLow..<(columnHigh + 1))
        return Patch.full(values, shape: shape).cropped(to: region, shape: shape, batch: batch)
    }

    /// The same maps over a larger region (zeros added).
    func embedded(in target: Region, batch: Int) -> Patch {
        precondition(target.contains(region), "Patch: embedding into a smaller region")
        if target == region { return self }
        var result = [T](repeating: 0, count: batch * target.positions * channels)
        let width = region.columns.count * channels
        for item in 0..<batch {
            for row in region.rows {
                let source =
                    item * region.positions * channels
                    + (row - region.rows.lowerBound) * width
                let destination =
                    item * target.positions * channels
                    + ((row - target.rows.lowerBound) * target.columns.count
                        + region.columns.lowerBound - target.columns.lowerBound) * channels
                for i in 0..<width { result[destination + i] = values[source + i] }
            }
        }
        return Patch(values: result, region: target, channels: channels)
    }

    /// The maps restricted to a sub-region (values outside it are dropped).
    func cropped(to target: Region, shape: Shape, batch: Int) -> Patch {
        precondition(region.contains(target), "Patch: cropping outside the region")
        if target == region { return self }
        var result = [T](repeating: 0, count: batch * target.positions * channels)
        let width = target.columns.count * channels
        for item in 0..<batch {
            for row in target.rows {
                let source =
                    item * region.positions * channels
                    + ((row - region.rows.lowerBound) * region.columns.count
                        + target.columns.lowerBound - region.columns.lowerBound) * channels
                let destination =
                    item * target.positions * channels
                    + (row - target.rows.lowerBound) * width
                for i in 0..<width { result[destination + i] = values[source + i] }
            }
        }
        return Patch(values: result, region: target, channels: channels)
    }

    /// Dense values over the whole shape.
    func dense(shape: Shape, batch: Int) -> [T] {
        embedded(in: .full(shape), batch: batch).values
    }

    /// Adds item 0 onto the full-shape map `sum` at the patch's positions (nothing if nil).
    func add(into sum: inout [T]?, shape: Shape) {
        sum?.withUnsafeMutableBufferPointer { sum in
            forEachIndex(shape: shape) { local, unit in sum[unit] += values[local] }
        }
    }

    /// Visits `(patch index, flat index in the full shape)` of every stored value of item 0.
    func forEachIndex(shape: Shape, _ body: (Int, Int) -> Void) {
        var index = 0
        for row in region.rows {
            for column in region.columns {
                let base = (row * shape.width + column) * channels
                for channel in 0..<channels {
                    body(index, base + channel)
                    index += 1
                }
            }
        }
    }
}

extension WindowGeometry {
    /// Output positions whose window meets the input region (nil if none).
    func outputRegion(forInput region: Region) -> Region? {
        func range(_ input: Range<Int>, pad: Int, kernel: Int, outputs: Int) -> Range<Int>? {
            let low = max(0, Self.floorDivide(input.lowerBound + pad - kernel, stride) + 1)
            let high = min(outputs, Self.floorDivide(input.upperBound - 1 + pad, stride) + 1)
            return low < high ? low..<high : nil
        }
        guard
            let rows = range(region.rows, pad: padTop, kernel: kernelHeight, outputs: outputHeight),
            let columns = range(
                region.columns, pad: padLeft, kernel: kernelWidth, outputs: outputWidth)
        else { return nil }
        return Region(rows: rows, columns: columns)
    }

    /// Input positions covered by the windows of the output region (nil if none).
    func inputRegion(forOutput region: Region) -> Region? {
        let rowLow = max(0, region.rows.lowerBound * stride - padTop)
        let rowHigh = min(input.height, (region.rows.upperBound - 1) * stride - padTop + kernelHeight)
        let columnLow = max(0, region.columns.lowerBound * stride - padLeft)
        let columnHigh = min(
            input.width, (region.columns.upperBound - 1) * stride - padLeft + kernelWidth)
        guard rowLow < rowHigh, columnLow < columnHigh else { return nil }
        return Region(rows: rowLow..<rowHigh, columns: columnLow..<columnHigh)
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
