import LinearAlgebra

extension Kernels {
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
