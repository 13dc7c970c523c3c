import LinearAlgebra
import Testing

@testable import BackMap

/// The pointer loops of `Kernels/Vector.swift` and the kernels built on them, against plain
/// indexed loops, on sizes that are not multiples of a vector width.
@Suite struct VectorTests {
    let positions = 7
    let channels = 5

    static func random<T: BLASScalar>(_ count: Int, seed: UInt64) -> [T] {
        var generator = SeededGenerator(seed: seed)
        return Support.randomArray(count, &generator)
    }

    @Test func biasAdditionAndPositionSums() {
        let x: [Float] = Self.random(positions * channels, seed: 1)
        let b: [Float] = Self.random(channels, seed: 2)
        let shape = Shape(height: 1, width: positions, channels: channels)
        let added = Kernels.addingBias(x, shape: shape, biases: b)
        #expect(added == x.indices.map { x[$0] + b[$0 % channels] })

        var sums: [Float] = Self.random(channels, seed: 3)
        var expected = sums
        for p in 0..<positions {
            for c in 0..<channels { expected[c] += x[p * channels + c] }
        }
        x.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { sums in
                Vector.sumPositions(
                    x.baseAddress!, into: sums.baseAddress!, positions: positions, channels: channels)
            }
        }
        #expect(sums == expected)
    }

    @Test func biasAdjointSumsPerChannelAndPerScalar() {
        let batch = 3
        let shape = Shape(height: 1, width: positions, channels: channels)
        let gradient: [Double] = Self.random(batch * shape.count, seed: 4)
        let patch = Patch.full(gradient, shape: shape)
        let biasCount = channels + 4
        var perChannel = [Double](repeating: 0, count: batch * biasCount)
        FoldedBias<Double>(offset: 2, count: channels).accumulateBiasGradient(
            patch, batch: batch, into: &perChannel, biasCount: biasCount)
        var scalar = [Double](repeating: 0, count: batch * biasCount)
        FoldedBias<Double>(offset: 1, count: 1).accumulateBiasGradient(
            patch, batch: batch, into: &scalar, biasCount: biasCount)
        for item in 0..<batch {
            let values = gradient[(item * shape.count)..<((item + 1) * shape.count)]
            for c in 0..<channels {
                let sum = stride(from: c, to: shape.count, by: channels).reduce(0.0) {
                    $0 + values[values.startIndex + $1]
                }
                #expect(abs(perChannel[item * biasCount + 2 + c] - sum) < 1e-12)
            }
            #expect(abs(scalar[item * biasCount + 1] - values.reduce(0, +)) < 1e-12)
            #expect(perChannel[item * biasCount] == 0 && scalar[item * biasCount] == 0)
        }
    }

    @Test func rectifierAndMasks() {
        let x: [Float] = Self.random(positions * channels, seed: 5)
        let shape = Shape(height: 1, width: positions, channels: channels)
        let (values, slopes) = Kernels.rectify(x, negativeSlope: 0.25, shape: shape)
        #expect(slopes == x.map { $0 > 0 ? 1 : 0.25 })
        #expect(values == x.map { $0 > 0 ? $0 : $0 * 0.25 })
        let batch: [Float] = Self.random(2 * x.count, seed: 6)
        let masked = Kernels.multiply(batch, batch: 2, by: slopes)
        #expect(masked == batch.indices.map { batch[$0] * slopes[$0 % x.count] })
    }

    @Test func channelInterleaveAndExtractAreInverse() {
        let a: [Float] = Self.random(2 * positions * 2, seed: 7)
        let b: [Float] = Self.random(2 * positions * 3, seed: 8)
        let joined = Kernels.interleave(
            [a, b], channels: [2, 3], offsets: [0, 2], outChannels: 5, positions: positions, batch: 2)
        #expect(
            Kernels.extract(joined, offset: 0, width: 2, inChannels: 5, positions: positions, batch: 2) == a)
        #expect(
            Kernels.extract(joined, offset: 2, width: 3, inChannels: 5, positions: positions, batch: 2) == b)
    }

    /// `bench --nodes`: one timing per folded node, FLOPs for the products only.
    @Test func nodeTimingsCoverEveryNode() throws {
        let net = try Support.model(.vgg7, as: Float.self)
        let image = Support.image(net.inputShape, seed: 9, as: Float.self)
        let timings = try net.nodeTimings(image, repeats: 1)
        #expect(timings.map(\.name) == Array(net.nodeNames.dropFirst()))
        #expect(timings.allSatisfy { $0.forward > 0 && $0.transposed > 0 })
        let conv1 = try #require(timings.first { $0.name == "conv1" })
        #expect(conv1.flops == 2 * Double(32 * 32 * (3 * 3 * 32) * 32))
        #expect(timings.filter { $0.flops > 0 }.count == 7)  // six convolutions and the FC
    }
}
