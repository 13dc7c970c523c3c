import Testing

@testable import BackMap

/// Batch-norm folding (Eq. 7), multipliers, the bias index.
@Suite struct FoldingTests {
    @Test(arguments: ModelKind.allCases) func foldedModelEqualsUnfolded(_ kind: ModelKind) throws {
        let weights = ModelZoo.randomWeights(ModelConfiguration(kind: kind), seed: 4)
        let network = try ModelZoo.network(from: weights, as: Double.self).network
        let folded = try network.folded()
        let image = Support.image(folded.inputShape, seed: 5, as: Double.self)
        let reference = try network.evaluate(image)
        let pass = try folded.forward(image)
        let logits = try #require(reference.last)
        for (a, b) in zip(pass.output, logits) {
            #expect(abs(a - b) <= 1e-12 * max(1, abs(b)))
        }
        // Each layer's value plus its own bias equals the unfolded node it replaces.
        for layer in folded.layers where layer.kind == .convolution {
            let biasNode = try #require(layer.ownBiasNode)
            let source = folded.nodes[biasNode].name
            let original = try #require(network.node(named: source))
            let unfolded = reference[original]
            let values = pass.value(at: biasNode)
            let worst = zip(values, unfolded).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-10, "\(layer.name) vs \(source)")
        }
    }

    @Test func biasIndexMapsEveryEntry() throws {
        let vgg = try Support.model(.vgg7, as: Float.self)
        #expect(vgg.biasValues.count == 384 + 10)
        #expect(vgg.biasEntries[0] == BiasEntry(source: "bn0", layer: "conv0", channel: 0))
        #expect(vgg.biasEntries[383].description == "bn5[95]")
        #expect(vgg.biasEntries[384] == BiasEntry(source: "fc.bias", layer: "fc", channel: 0))
        #expect(vgg.layers.map(\.name) == ["conv0", "conv1", "conv2", "conv3", "conv4", "conv5", "fc"])

        let resnet = try Support.model(.resnet20, as: Float.self)
        #expect(resnet.biasValues.count == 32 + (32 + 64 + 96) * 6 + 10)
        #expect(resnet.layers.count == 20)

        let fixup = try Support.model(.resnet20Fixup, as: Float.self)
        #expect(fixup.biasValues.count == 3 + 37 + 10)
        #expect(fixup.biasEntries[0] == BiasEntry(source: "input.normalisation", layer: nil, channel: 0))
        #expect(fixup.biasEntries[3] == BiasEntry(source: "fixup.bias0", layer: "conv0", channel: nil))
        // conv2's own bias is fixup.bias4 (after the folded multiplier); bias1 precedes conv1.
        let conv2 = try #require(fixup.layer(named: "conv2"))
        let own = try #require(conv2.ownBias)
        #expect(fixup.biasEntries[own.lowerBound].source == "fixup.bias4")
        #expect(conv2.ownBiasIsScalar)
        #expect(fixup.biasEntries[4] == BiasEntry(source: "fixup.bias1", layer: nil, channel: nil))
    }

    @Test func multiplierIsFoldedIntoKernel() throws {
        var network = Network<Double>(inputShape: Shape(height: 3, width: 3, channels: 1))
        try network.add(
            "conv",
            .convolution(
                Convolution(
                    kernel: Array(repeating: 1, count: 9), kernelHeight: 3, kernelWidth: 3,
                    inChannels: 1, outChannels: 1, bias: [1])))
        try network.add("scale", .multiplier(2))
        let folded = try network.folded()
        #expect(folded.nodes.count == 3)  // input, conv (scaled), bias
        #expect(folded.biasValues == [2])
        let x = Array(repeating: 1.0, count: 9)
        #expect(try folded.forward(x).output == (try network.evaluate(x).last))
    }

    @Test func standaloneBatchNormAndMultiplierStayExact() throws {
        var g = SeededGenerator(seed: 17)
        var network = Network<Double>(inputShape: Shape(height: 5, width: 5, channels: 2))
        let conv = try network.add("conv", Support.convolution(&g, input: 2, output: 3))
        // The convolution has two readers, so neither batch norm nor multiplier is folded.
        let bn = try network.add("bn", Support.batchNorm(&g, channels: 3), inputs: [conv])
        let scaled = try network.add("scale", .multiplier(-0.7), inputs: [conv])
        try network.add("sum", .add, inputs: [bn, scaled])
        try network.add("relu", .leakyReLU(slope: 0.2))
        try network.add("conv2", Support.convolution(&g, input: 3, output: 2, stride: 2))
        let folded = try network.folded()
        #expect(folded.layers.map(\.name) == ["conv", "conv2"])
        #expect(folded.biasEntries.filter { $0.source == "bn" }.count == 3)
        let image = Support.image(folded.inputShape, seed: 18, as: Double.self)
        let reference = try #require(try network.evaluate(image).last)
        let output = try folded.forward(image).output
        #expect(zip(output, reference).allSatisfy { abs($0 - $1) < 1e-12 })
        let layers = try folded.reconstructLayers(image, layers: [0, 1])
        for layer in layers {
            #expect(zip(layer.actual, layer.reconstructed).allSatisfy { abs($0 - $1) < 1e-12 })
        }
    }
}
