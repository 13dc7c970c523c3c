import LinearAlgebra

extension Kernels {
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

}
