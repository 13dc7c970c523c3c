import Testing

@testable import BackMap

/// The grouped (and depthwise) convolution: folding, the identity for every mode, the adjoint,
/// full-layer verification (docs/ADDING-AN-OPERATION.md).
@Suite struct GroupedConvolutionTests {
    static func grouped(
        _ g: inout SeededGenerator, input: Int, output: Int, groups: Int, kernel: Int = 3,
        stride: Int = 1, padding: Padding = .tfSame
    ) -> Operation<Double> {
        let fanIn = Double(kernel * kernel * input / groups)
        return .groupedConvolution(
            GroupedConvolution(
                kernel: Support.randomArray(
                    kernel * kernel * (input / groups) * output, &g, scale: (2 / fanIn).squareRoot()),
                kernelHeight: kernel, kernelWidth: kernel, inChannels: input, outChannels: output,
                groups: groups, stride: stride, padding: padding,
                bias: Support.randomArray(output, &g, scale: 0.1)))
    }

    /// Conv → grouped conv (2 groups) + BN → depthwise strided conv + Leaky ReLU → 1×1
    /// grouped conv (4 groups, no absorbed BN: a bias node) → dense.
    static func network() throws -> Network<Double> {
        var g = SeededGenerator(seed: 71)
        var net = Network<Double>(inputShape: Shape(height: 9, width: 9, channels: 3))
        try net.add("conv0", Support.convolution(&g, input: 3, output: 8))
        try net.add("bn0", Support.batchNorm(&g, channels: 8))
        try net.add("relu0", .relu)
        try net.add("group1", grouped(&g, input: 8, output: 8, groups: 2))
        try net.add("bn1", Support.batchNorm(&g, channels: 8))
        try net.add("relu1", .relu)
        try net.add(
            "depthwise2", grouped(&g, input: 8, output: 8, groups: 8, stride: 2, padding: .symmetric))
        try net.add("relu2", .leakyReLU(slope: 0.1))
        try net.add("group3", grouped(&g, input: 8, output: 12, groups: 4, kernel: 1))
        try net.add("relu3", .relu)
        try net.add("flatten", .flatten)
        let features = net.nodes[net.output].shape.count
        try net.add(
            "fc",
            .dense(
                Dense(
                    weight: Support.randomArray(features * 10, &g, scale: 0.2), inFeatures: features,
                    outFeatures: 10, bias: Support.randomArray(10, &g, scale: 0.1))))
        return net
    }

    @Test func foldedEqualsDirectSum() throws {
        let network = try Self.network()
        let folded = try network.folded()
        #expect(folded.layers.map(\.name) == ["conv0", "group1", "depthwise2", "group3", "fc"])
        #expect(folded.layers[2].shape == Shape(height: 5, width: 5, channels: 8))
        let image = Support.image(folded.inputShape, seed: 72, as: Double.self)
        let reference = try network.evaluate(image)
        let pass = try folded.forward(image)
        let logits = try #require(reference.last)
        #expect(zip(pass.output, logits).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        // bn1 was absorbed into group1: its value plus its own bias is the unfolded bn1.
        let layer = folded.layers[1]
        let biasNode = try #require(layer.ownBiasNode)
        #expect(folded.nodes[biasNode].name == "bn1")
        let bn1 = try #require(network.node(named: "bn1"))
        let worst = zip(pass.value(at: biasNode), reference[bn1]).map { abs($0 - $1) }.max() ?? 1
        #expect(worst <= 1e-12)
    }

    @Test func oneGroupIsTheOrdinaryConvolutionBitForBit() throws {
        var g = SeededGenerator(seed: 73)
        let kernel: [Double] = Support.randomArray(3 * 3 * 4 * 6, &g)
        var plain = Network<Double>(inputShape: Shape(height: 7, width: 7, channels: 4))
        try plain.add(
            "conv",
            .convolution(
                Convolution(
                    kernel: kernel, kernelHeight: 3, kernelWidth: 3, inChannels: 4, outChannels: 6,
                    stride: 2)))
        var grouped = Network<Double>(inputShape: Shape(height: 7, width: 7, channels: 4))
        try grouped.add(
            "conv",
            .groupedConvolution(
                GroupedConvolution(
                    kernel: kernel, kernelHeight: 3, kernelWidth: 3, inChannels: 4, outChannels: 6,
                    groups: 1, stride: 2)))
        let image = Support.image(plain.inputShape, seed: 74, as: Double.self)
        #expect(try plain.folded().forward(image).output == grouped.folded().forward(image).output)
    }

    @Test(arguments: [1, 2, 3]) func everyModeReconstructsTheUnit(_ layer: Int) throws {
        let net = try Self.network().folded()
        let image = Support.image(net.inputShape, seed: 75, as: Double.self)
        let inChannels = net.layers[layer].inputShape.channels
        let modes: [Mode] = [
            .rm0(unit: 4),
            .rm1(layer: layer, channel: 5),
            .rm2(layer: layer, channel: 5, row: 2, column: 3),
            .rm3(layer: layer, inChannel: inChannels - 1, channel: 5),
            .rm4(layer: layer, inChannel: 3, channel: 5, row: 2, column: 3),
        ]
        for h in try net.backMaps(image, modes: modes) {
            #expect(abs(h.reconstructed - h.actual) <= 1e-12 * max(1, abs(h.actual)), "\(h.mode)")
        }
        // Single units through the region-restricted pass agree with the full pass.
        let single = try net.backMap(image, mode: modes[2])
        let full = try net.backMaps(image, modes: [modes[2]])[0]
        #expect(abs(single.actual - full.actual) <= 1e-13 * max(1, abs(full.actual)))
        #expect(zip(single.image, full.image).allSatisfy { abs($0 - $1) <= 1e-13 })
        let own = try net.backMap(
            image, mode: modes[2], options: BackMapOptions(includeOwnBias: true))
        #expect(own.includesOwnBias)
        #expect(abs(own.reconstructed - own.actual) <= 1e-12 * max(1, abs(own.actual)))
    }

    @Test func depthwiseInChannelOutsideTheGroupContributesNothing() throws {
        let net = try Self.network().folded()
        let image = Support.image(net.inputShape, seed: 76, as: Double.self)
        // Depthwise: out-channel 5 reads in-channel 5 only.
        let other = try net.backMap(image, mode: .rm4(layer: 2, inChannel: 3, channel: 5, row: 1, column: 1))
        #expect(other.actual == 0 && other.image.allSatisfy { $0 == 0 })
        let own = try net.backMap(image, mode: .rm4(layer: 2, inChannel: 5, channel: 5, row: 1, column: 1))
        let unit = try net.backMap(image, mode: .rm2(layer: 2, channel: 5, row: 1, column: 1))
        #expect(abs(own.actual - unit.actual) <= 1e-13 * max(1, abs(unit.actual)))
    }

    @Test func adjointIsTheTransposeOfTheTangents() throws {
        let net = try Self.network().folded()
        let image = Support.image(net.inputShape, seed: 77, as: Double.self)
        var g = SeededGenerator(seed: 78)
        let pass = try net.forward(image, scale: 0.125)
        for (index, layer) in net.layers.enumerated() {
            let jacobian = try net.jacobian(image, layer: index, chunkSize: 5)
            let v: [Double] = Support.randomArray(net.jointInputCount, &g)
            let w: [Double] = Support.randomArray(layer.units, &g)
            var jv = [Double](repeating: 0, count: layer.units)
            for row in 0..<layer.units {
                for column in 0..<net.jointInputCount { jv[row] += jacobian.matrix[row, column] * v[column] }
            }
            let (hImage, hBias) = net.pullback(seeds: w, at: layer.node, batch: 1, pass: pass)
            let lhs = zip(jv, w).map(*).reduce(0, +)
            let rhs = zip(hImage + hBias, v).map(*).reduce(0, +)
            #expect(abs(lhs - rhs) <= 1e-12 * max(1, abs(lhs)), "\(layer.name)")
        }
    }

    @Test func everyUnitOfEveryLayerVerifies() throws {
        let net = try Self.network().folded()
        let image = Support.image(net.inputShape, seed: 79, as: Double.self)
        let layers = try net.reconstructLayers(image, layers: Array(net.layers.indices))
        #expect(layers.count == 5)
        for layer in layers {
            let worst = zip(layer.reconstructed, layer.actual).map { abs($0 - $1) / max(1, abs($1)) }.max()
            #expect(try #require(worst) <= 1e-12, "\(layer.layer.name)")
        }
        let unit = try net.backMap(image, mode: .rm2(layer: 2, channel: 6, row: 4, column: 0))
        let index = net.layers[2].shape.index(row: 4, column: 0, channel: 6)
        #expect(abs(layers[2].reconstructed[index] - unit.reconstructed) <= 1e-12)
    }

    @Test func groupsThatDoNotDivideTheChannelsAreRejected() throws {
        var g = SeededGenerator(seed: 80)
        var net = Network<Double>(inputShape: Shape(height: 5, width: 5, channels: 6))
        let error = #expect(throws: NetworkError.self) {
            try net.add("bad", Self.grouped(&g, input: 6, output: 8, groups: 4))
        }
        #expect(error?.node == "bad")
        #expect(error?.message.contains("4 groups do not divide 6 in") == true)
    }
}
