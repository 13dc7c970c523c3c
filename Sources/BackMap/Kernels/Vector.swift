import LinearAlgebra

/// Element-wise loops over raw pointers.
///
/// Written with pointer increments rather than index arithmetic: Swift's overflow-checked
/// `base + i` keeps LLVM from vectorising a loop, and these loops run over every element of
/// every feature map of a pass (measured: a bias addition over a 32×32×32 map took 47 µs as an
/// indexed loop). Each helper keeps the per-element order of operations of the plain loop, so
/// results are bit-for-bit the same.
enum Vector {
    /// `y[i] = x[i] + b[i mod channels]` for `positions · channels` elements.
    @inline(__always)
    static func addBias<T: BLASScalar>(
        _ x: UnsafePointer<T>, _ b: UnsafePointer<T>, into y: UnsafeMutablePointer<T>,
        positions: Int, channels: Int
    ) {
        var (x, y) = (x, y)
        for _ in 0..<positions {
            for c in 0..<channels { y[c] = x[c] + b[c] }
            x += channels
            y += channels
        }
    }

    /// `sums[c] += x[p · channels + c]` over `positions`, position by position.
    @inline(__always)
    static func sumPositions<T: BLASScalar>(
        _ x: UnsafePointer<T>, into sums: UnsafeMutablePointer<T>, positions: Int, channels: Int
    ) {
        var x = x
        for _ in 0..<positions {
            for c in 0..<channels { sums[c] += x[c] }
            x += channels
        }
    }

    /// `y[i] += x[i]`.
    @inline(__always)
    static func add<T: BLASScalar>(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, count: Int) {
        for i in 0..<count { y[i] += x[i] }
    }

    /// `y[i] += x[i] · scale`.
    @inline(__always)
    static func add<T: BLASScalar>(
        _ x: UnsafePointer<T>, scaledBy scale: T, into y: UnsafeMutablePointer<T>, count: Int
    ) {
        for i in 0..<count { y[i] += x[i] * scale }
    }

    /// `y[i] *= factors[i]`.
    @inline(__always)
    static func multiply<T: BLASScalar>(
        _ y: UnsafeMutablePointer<T>, by factors: UnsafePointer<T>, count: Int
    ) {
        for i in 0..<count { y[i] *= factors[i] }
    }

    /// `y[i] = x[i] · factors[i]`.
    @inline(__always)
    static func multiply<T: BLASScalar>(
        _ x: UnsafePointer<T>, by factors: UnsafePointer<T>, into y: UnsafeMutablePointer<T>,
        count: Int
    ) {
        for i in 0..<count { y[i] = x[i] * factors[i] }
    }

    /// `y[i] *= scale`.
    @inline(__always)
    static func scale<T: BLASScalar>(_ y: UnsafeMutablePointer<T>, by scale: T, count: Int) {
        for i in 0..<count { y[i] *= scale }
    }

    /// Copies `rows` runs of `width` elements, `x` advancing by `xStride` and `y` by `yStride`
    /// from one run to the next (channel blocks of HWC maps).
    @inline(__always)
    static func copyRows<T: BLASScalar>(
        _ x: UnsafePointer<T>, stride xStride: Int, into y: UnsafeMutablePointer<T>,
        stride yStride: Int, rows: Int, width: Int
    ) {
        var (x, y) = (x, y)
        for _ in 0..<rows {
            y.update(from: x, count: width)
            x += xStride
            y += yStride
        }
    }
}
