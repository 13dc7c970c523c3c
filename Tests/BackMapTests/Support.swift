import LinearAlgebra

@testable import BackMap

/// Helpers shared by the engine tests.
enum Support {
    static func randomArray<T: BLASScalar>(
        _ count: Int, _ generator: inout SeededGenerator, scale: Double = 1, as type: T.Type = T.self
    ) -> [T] {
        (0..<count).map { _ in T(generator.normal() * scale) }
    }

    static func image<T: BLASScalar>(_ shape: Shape, seed: UInt64, as type: T.Type = T.self) -> [T] {
        var generator = SeededGenerator(seed: seed)
        return (0..<shape.count).map { _ in T(generator.uniform(0, 1)) }
    }

    static func model<T: BLASScalar>(_ kind: ModelKind, seed: UInt64 = 1, as type: T.Type = T.self)
        throws -> FoldedNetwork<T>
    {
        let weights = ModelZoo.randomWeights(ModelConfiguration(kind: kind), seed: seed)
        return try ModelZoo.network(from: weights, as: T.self).network.folded()
    }

    static func convolution<T: BLASScalar>(
        _ generator: inout SeededGenerator, input: Int, output: Int, kernel: Int = 3,
        stride: Int = 1, padding: Padding = .tfSame, bias: Bool = true
    ) -> Operation<T> {
        let fanIn = Double(kernel * kernel * input)
        return .convolution(
            Convolution(
                kernel: randomArray(
                    kernel * kernel * input * output, &generator, scale: (2 / fanIn).squareRoot()),
                kernelHeight: kernel, kernelWidth: kernel, inChannels: input, outChannels: output,
                stride: stride, padding: padding,
                bias: bias ? randomArray(output, &generator, scale: 0.1) : nil))
    }

    static func batchNorm<T: BLASScalar>(_ generator: inout SeededGenerator, channels: Int)
        -> Operation<T>
    {
        .batchNormalization(
            BatchNormalization(
                gamma: (0..<channels).map { _ in T(generator.uniform(0.8, 1.2)) },
                beta: randomArray(channels, &generator, scale: 0.1),
                mean: randomArray(channels, &generator, scale: 0.1),
                variance: (0..<channels).map { _ in T(generator.uniform(0.5, 1.5)) },
                epsilon: T(0.001)))
    }

    /// A random small architecture: convolutions with random strides and paddings, batch
    /// norm, ReLU or Leaky ReLU, max or average pooling, residual additions, concatenations,
    /// scalar biases and multipliers, then global pooling or flatten and a dense layer.
    static func randomArchitecture<T: BLASScalar>(seed: UInt64, as type: T.Type = T.self)
        throws -> Network<T>
    {
        var g = SeededGenerator(seed: seed)
        let size = 6 + Int(g.next() % 4)
        var network = Network<T>(inputShape: Shape(height: size, width: size, channels: 2))
        let paddings: [Padding] = [.tfSame, .symmetric, .explicit(top: 1, bottom: 0, left: 0, right: 1)]
        var channels = 2
        let depth = 2 + Int(g.next() % 3)
        func activation(_ name: String) throws {
            if g.next() % 2 == 0 {
                try network.add(name, .relu)
            } else {
                try network.add(name, .leakyReLU(slope: T(g.uniform(0.01, 0.3))))
            }
        }
        for stage in 0..<depth {
            let width = 2 + Int(g.next() % 4)
            let stride = (g.next() % 3 == 0 && network.nodes[network.output].shape.height >= 4) ? 2 : 1
            let padding = paddings[Int(g.next() % UInt64(paddings.count))]
            if g.next() % 3 == 0 {
                try network.add("s\(stage).prebias", .scalarBias(T(g.normal() * 0.1)))
            }
            let trunk = network.output
            try network.add(
                "s\(stage).conv",
                convolution(
                    &g, input: channels, output: width, stride: stride, padding: padding,
                    bias: g.next() % 2 == 0))
            if g.next() % 2 == 0 { try network.add("s\(stage).bn", batchNorm(&g, channels: width)) }
            if g.next() % 3 == 0 { try network.add("s\(stage).scale", .multiplier(T(g.uniform(0.5, 1.5)))) }
            try activation("s\(stage).act")
            let shapeNow = network.nodes[network.output].shape
            switch g.next() % 4 {
            case 0 where stride == 1 && (padding == .tfSame || padding == .symmetric):
                // Residual: trunk (channel-padded if needed) + a second conv branch.
                let branch = network.output
                try network.add(
                    "s\(stage).conv2", convolution(&g, input: width, output: width), inputs: [branch])
                var shortcut = trunk
                let trunkChannels = network.nodes[trunk].shape.channels
                if trunkChannels < width {
                    shortcut = try network.add(
                        "s\(stage).pad", .channelPadding(extra: width - trunkChannels), inputs: [trunk])
                } else if trunkChannels > width {
                    shortcut = try network.add(
                        "s\(stage).proj", convolution(&g, input: trunkChannels, output: width, kernel: 1),
                        inputs: [trunk])
                }
                try network.add("s\(stage).add", .add, inputs: [network.output, shortcut])
                try activation("s\(stage).act2")
                channels = width
            case 1:
                // Concatenation of the activation with a 1×1 conv branch of it.
                let base = network.output
                let extra = 1 + Int(g.next() % 3)
                let side = try network.add(
                    "s\(stage).side", convolution(&g, input: width, output: extra, kernel: 1),
                    inputs: [base])
                try network.add("s\(stage).cat", .concatenate, inputs: [base, side])
                channels = width + extra
            case 2 where shapeNow.height >= 3:
                let pool: Operation<T> =
                    g.next() % 2 == 0
                    ? .maxPool(window: 2 + Int(g.next() % 2), stride: 2, padding: .tfSame)
                    : .averagePool(window: 3, stride: 2, padding: .tfSame)
                try network.add("s\(stage).pool", pool)
                channels = width
            default:
                channels = width
            }
        }
        if g.next() % 2 == 0 {
            try network.add("gap", .globalAveragePool)
        } else {
            try network.add("flatten", .flatten)
        }
        let features = network.nodes[network.output].shape.count
        let outputs = 3
        try network.add(
            "fc",
            .dense(
                Dense(
                    weight: randomArray(features * outputs, &g, scale: (1 / Double(features)).squareRoot()),
                    inFeatures: features, outFeatures: outputs, bias: randomArray(outputs, &g, scale: 0.1))))
        return network
    }

    /// A small fixed network with every layer kind the modes need (two convs, BN, pooling).
    static func smallNetwork<T: BLASScalar>(seed: UInt64 = 7, as type: T.Type = T.self) throws
        -> FoldedNetwork<T>
    {
        var g = SeededGenerator(seed: seed)
        var network = Network<T>(inputShape: Shape(height: 8, width: 8, channels: 3))
        try network.add("conv0", convolution(&g, input: 3, output: 4))
        try network.add("bn0", batchNorm(&g, channels: 4))
        try network.add("relu0", .leakyReLU(slope: T(0.1)))
        try network.add("conv1", convolution(&g, input: 4, output: 5, stride: 2))
        try network.add("bn1", batchNorm(&g, channels: 5))
        try network.add("relu1", .relu)
        try network.add("pool1", .maxPool(window: 2, stride: 1, padding: .tfSame))
        try network.add("conv2", convolution(&g, input: 5, output: 3))
        try network.add("relu2", .relu)
        try network.add("gap", .globalAveragePool)
        try network.add(
            "fc",
            .dense(Dense(weight: randomArray(9, &g), inFeatures: 3, outFeatures: 3, bias: randomArray(3, &g)))
        )
        return try network.folded()
    }
}
