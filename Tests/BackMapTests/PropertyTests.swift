import Testing

@testable import BackMap

/// Random small architectures: depth, strides, paddings, max/avg pooling, residuals,
/// concatenation, leaky slopes, scalar biases, multipliers.
@Suite struct PropertyTests {
    @Test(arguments: 0..<12) func identityOnRandomArchitecture(_ seed: Int) throws {
        let network = try Support.randomArchitecture(seed: UInt64(seed), as: Double.self)
        let net = try network.folded()
        let image = Support.image(net.inputShape, seed: UInt64(100 + seed), as: Double.self)
        // The folded network computes the original one.
        let reference = try #require(try network.evaluate(image).last)
        let output = try net.forward(image).output
        #expect(zip(output, reference).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        // Every unit of every layer (including the first) from its hypersurface.
        let layers = try net.reconstructLayers(
            image, layers: Array(net.layers.indices), options: VerificationOptions(chunkSize: 32))
        for layer in layers {
            let scale = max(layer.actual.map(abs).max() ?? 0, 1e-300)
            let worst = zip(layer.actual, layer.reconstructed).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-11 * scale, "seed \(seed), \(layer.layer.name)")
        }
        // Forward and reverse mode agree on one unit per layer (adjoint with a one-hot seed).
        let analysis = try net.analysis(of: image)
        for layer in net.layers {
            let mode: Mode =
                layer.kind == .dense
                ? .rm0(unit: 1, layer: layer.index)
                : .rm2(
                    layer: layer.index, channel: layer.shape.channels - 1,
                    row: layer.shape.height / 2, column: layer.shape.width - 1)
            let h = try net.backMap(image, mode: mode)
            #expect(abs(h.reconstructed - h.actual) <= 1e-11 * max(1, abs(h.actual)), "seed \(seed), \(mode)")
            // A single call runs the forward pass on the unit's receptive cone only; it must
            // give the same hypersurface to the last bit, and `c` up to rounding.
            let full = try analysis.backMap(mode)
            #expect(h.image == full.image && h.bias == full.bias, "seed \(seed), \(mode)")
            #expect(h.reconstructed == full.reconstructed, "seed \(seed), \(mode)")
            #expect(abs(h.actual - full.actual) <= 1e-13 * max(1, abs(full.actual)), "seed \(seed), \(mode)")
        }
    }
}
