import Diagnostics
import Foundation
import LinearAlgebra

/// The three architectures of the paper (NOTES.md §5, docs/WEIGHTS.md).
public enum ModelKind: String, Hashable, Sendable, CaseIterable {
    case vgg7
    case resnet20
    case resnet20Fixup = "resnet20-fixup"
}

/// What the tensors of a weight file cannot say: read from and written to its metadata.
public struct ModelConfiguration: Hashable, Sendable {
    /// The architecture.
    public var kind: ModelKind
    /// Outputs of the FC layer (10 or 100).
    public var classes: Int = 10
    /// Padding of every convolution and pooling window.
    public var padding: Padding = .tfSame
    /// ε of every batch-norm layer.
    public var batchNormEpsilon: Double = 0.001
    /// Negative slope of every Leaky ReLU (ResNet20).
    public var leakySlope: Double = 0.1
    /// `cifar10` or `cifar100`.
    public var dataset: String = "cifar10"

    public init(
        kind: ModelKind, classes: Int = 10, padding: Padding = .tfSame,
        batchNormEpsilon: Double = 0.001, leakySlope: Double = 0.1, dataset: String = "cifar10"
    ) {
        self.kind = kind
        self.classes = classes
        self.padding = padding
        self.batchNormEpsilon = batchNormEpsilon
        self.leakySlope = leakySlope
        self.dataset = dataset
    }

    /// Reads the configuration from a weight file's metadata.
    ///
    /// - Throws: ``PlacedError`` for a missing or unknown `model`, an unparsable value,
    ///   or a missing `leaky_slope` for ResNet20.
    public init(metadata: [String: String], source: String = "<memory>") throws {
        func fail(_ message: String) -> PlacedError {
            PlacedError(file: source, "metadata", message: message)
        }
        guard let model = metadata["model"] else { throw fail("missing 'model'") }
        guard let kind = ModelKind(rawValue: model) else {
            throw fail("unknown model '\(model)' (expected vgg7, resnet20 or resnet20-fixup)")
        }
        self.init(kind: kind)
        if let value = metadata["classes"] {
            guard let classes = Int(value), classes > 0 else {
                throw fail("classes '\(value)' is not a positive integer")
            }
            self.classes = classes
        }
        if let value = metadata["padding"] {
            guard let padding = Padding(metadataValue: value) else {
                throw fail("padding '\(value)' is not tf-same or symmetric")
            }
            self.padding = padding
        }
        if let value = metadata["bn_epsilon"] {
            guard let epsilon = Double(value), epsilon >= 0 else {
                throw fail("bn_epsilon '\(value)' is not a number")
            }
            batchNormEpsilon = epsilon
        }
        if let value = metadata["leaky_slope"] {
            guard let slope = Double(value) else { throw fail("leaky_slope '\(value)' is not a number") }
            leakySlope = slope
        } else if kind == .resnet20 {
            throw fail("resnet20 weights need 'leaky_slope'")
        }
        if let value = metadata["dataset"] { dataset = value }
    }

    /// The metadata entries describing this configuration.
    public var metadata: [String: String] {
        var result = [
            "format": "adjoint-notebooks-weights/1",
            "model": kind.rawValue,
            "padding": padding.description,
            "classes": String(classes),
            "dataset": dataset,
        ]
        if kind != .resnet20Fixup { result["bn_epsilon"] = String(batchNormEpsilon) }
        if kind == .resnet20 { result["leaky_slope"] = String(leakySlope) }
        return result
    }
}

/// Builds the paper's models from weight files or from seeded random weights.
public enum ModelZoo {
    /// The Fixup input normalisation mean (per RGB channel).
    public static let fixupMean: [Double] = [0.4914, 0.4822, 0.4465]
    /// The Fixup input normalisation standard deviation (per RGB channel).
    public static let fixupStd: [Double] = [0.2023, 0.1994, 0.2010]

    /// Every tensor a model's weight file must contain, with its shape (docs/WEIGHTS.md).
    public static func tensorShapes(for configuration: ModelConfiguration) -> [(name: String, shape: [Int])] {
        var result: [(String, [Int])] = []
        let widths = channelPlan(configuration.kind)
        for (index, (input, output)) in widths.enumerated() {
            result.append(("conv\(index).weight", [3, 3, input, output]))
            if configuration.kind != .resnet20Fixup {
                for part in ["gamma", "beta", "moving_mean", "moving_variance"] {
                    result.append(("bn\(index).\(part)", [output]))
                }
            }
        }
        if configuration.kind == .resnet20Fixup {
            result.append(("input.mean", [3]))
            result.append(("input.std", [3]))
            for j in 0...36 { result.append(("fixup.bias\(j)", [1])) }
            for i in stride(from: 2, through: 18, by: 2) { result.append(("fixup.scale\(i)", [1])) }
        }
        result.append(("fc.weight", [96, configuration.classes]))
        result.append(("fc.bias", [configuration.classes]))
        return result
    }

    /// Builds a model from a weight file, reading its configuration from the metadata.
    ///
    /// - Parameter expected: When given, the file's `model` must match it.
    /// - Throws: ``PlacedError`` naming the tensor for a missing tensor, a wrong shape or
    ///   a wrong dtype; ``NetworkError`` if the graph does not fit together.
    public static func network<T: BLASScalar>(
        from weights: SafeTensorsFile, expected: ModelKind? = nil, as type: T.Type = T.self
    ) throws -> (network: Network<T>, configuration: ModelConfiguration) {
        let configuration = try ModelConfiguration(metadata: weights.metadata, source: weights.source)
        if let expected, expected != configuration.kind {
            throw PlacedError(
                file: weights.source,
                message:
                    "metadata says model '\(configuration.kind.rawValue)', expected '\(expected.rawValue)'")
        }
        let reader = WeightReader<T>(file: weights, configuration: configuration)
        let network: Network<T>
        switch configuration.kind {
        case .vgg7: network = try reader.vgg7()
        case .resnet20: network = try reader.resnet20()
        case .resnet20Fixup: network = try reader.fixup()
        }
        return (network, configuration)
    }

    /// Seeded random weights in the layout of a real weight file (same tensor names, shapes
    /// and metadata), so that random and trained models travel the same code path.
    ///
    /// Kernels are He-normal; batch-norm statistics are drawn around realistic values
    /// (γ ∈ [0.8, 1.2], β ~ N(0, 0.1), moving mean ~ N(0, 0.1), moving variance ∈ [0.5, 1.5]);
    /// Fixup biases ~ N(0, 0.1) and multipliers ∈ [0.5, 1.5].
    public static func randomWeights(_ configuration: ModelConfiguration, seed: UInt64 = 0)
        -> SafeTensorsFile
    {
        var generator = SeededGenerator(seed: seed)
        var tensors = [String: SafeTensor]()
        for (name, shape) in tensorShapes(for: configuration) {
            let count = shape.reduce(1, *)
            let values: [Float]
            switch name {
            case _ where name.hasSuffix(".weight") && name.hasPrefix("conv"):
                let fanIn = Double(shape[0] * shape[1] * shape[2])
                values = (0..<count).map { _ in Float(generator.normal() * (2 / fanIn).squareRoot()) }
            case "fc.weight":
                values = (0..<count).map { _ in Float(generator.normal() / Double(shape[0]).squareRoot()) }
            case _ where name.hasSuffix(".gamma"):
                values = (0..<count).map { _ in Float(generator.uniform(0.8, 1.2)) }
            case _ where name.hasSuffix(".moving_variance"):
                values = (0..<count).map { _ in Float(generator.uniform(0.5, 1.5)) }
            case _ where name.hasPrefix("fixup.scale"):
                values = (0..<count).map { _ in Float(generator.uniform(0.5, 1.5)) }
            case "input.mean":
                values = fixupMean.map(Float.init)
            case "input.std":
                values = fixupStd.map(Float.init)
            default:
                values = (0..<count).map { _ in Float(generator.normal() * 0.1) }
            }
            tensors[name] = SafeTensor(values, shape: shape)
        }
        var metadata = configuration.metadata
        metadata["framework"] = "random (BackMap.ModelZoo.randomWeights, seed \(seed))"
        return SafeTensorsFile(tensors: tensors, metadata: metadata, source: "<random seed \(seed)>")
    }

    /// `(in, out)` channels of conv0…convN.
    static func channelPlan(_ kind: ModelKind) -> [(Int, Int)] {
        switch kind {
        case .vgg7:
            return [(3, 32), (32, 32), (32, 64), (64, 64), (64, 96), (96, 96)]
        case .resnet20, .resnet20Fixup:
            var plan = [(3, 32)]
            var width = 32
            for stage in [32, 64, 96] {
                for block in 0..<3 {
                    plan.append((block == 0 ? width : stage, stage))
                    plan.append((stage, stage))
                }
                width = stage
            }
            return plan
        }
    }
}

/// Reads tensors of one weight file into the graph of one model.
private struct WeightReader<T: BLASScalar> {
    let file: SafeTensorsFile
    let configuration: ModelConfiguration

    func values(_ name: String, _ shape: [Int]) throws -> [T] {
        try file.values(name, shape: shape, as: T.self)
    }

    func scalar(_ name: String) throws -> T {
        try values(name, [1])[0]
    }

    func convolution(_ index: Int, _ input: Int, _ output: Int, stride: Int = 1, bias: Bool = false)
        throws -> Operation<T>
    {
        let name = "conv\(index)"
        var biasValues: [T]?
        if bias, file.tensors["\(name).bias"] != nil {
            biasValues = try values("\(name).bias", [output])
        }
        return .convolution(
            Convolution(
                kernel: try values("\(name).weight", [3, 3, input, output]), kernelHeight: 3,
                kernelWidth: 3, inChannels: input, outChannels: output, stride: stride,
                padding: configuration.padding, bias: biasValues))
    }

    func batchNorm(_ index: Int, _ channels: Int) throws -> Operation<T> {
        let name = "bn\(index)"
        return .batchNormalization(
            BatchNormalization(
                gamma: try values("\(name).gamma", [channels]),
                beta: try values("\(name).beta", [channels]),
                mean: try values("\(name).moving_mean", [channels]),
                variance: try values("\(name).moving_variance", [channels]),
                epsilon: T(configuration.batchNormEpsilon)))
    }

    func classifier(_ network: inout Network<T>) throws {
        try network.add("gap", .globalAveragePool)
        try network.add(
            "fc",
            .dense(
                Dense(
                    weight: try values("fc.weight", [96, configuration.classes]), inFeatures: 96,
                    outFeatures: configuration.classes,
                    bias: try values("fc.bias", [configuration.classes]))))
    }

    func vgg7() throws -> Network<T> {
        var network = Network<T>(inputShape: CIFARImage.shape)
        for (index, (input, output)) in ModelZoo.channelPlan(.vgg7).enumerated() {
            try network.add("conv\(index)", try convolution(index, input, output, bias: true))
            try network.add("bn\(index)", try batchNorm(index, output))
            try network.add("relu\(index)", .relu)
            if index == 1 || index == 3 {
                try network.add(
                    "pool\(index)",
                    .averagePool(window: 3, stride: 2, padding: configuration.padding))
            }
        }
        try classifier(&network)
        return network
    }

    func resnet20() throws -> Network<T> {
        var network = Network<T>(inputShape: CIFARImage.shape)
        let slope = T(configuration.leakySlope)
        let plan = ModelZoo.channelPlan(.resnet20)
        try network.add("conv0", try convolution(0, 3, 32))
        try network.add("bn0", try batchNorm(0, 32))
        var h = try network.add("act0", .leakyReLU(slope: slope))
        for block in 1...9 {
            let a = 2 * block - 1
            let b = 2 * block
            let (input, width) = plan[a]
            let stride = input == width ? 1 : 2
            try network.add("conv\(a)", try convolution(a, input, width, stride: stride), inputs: [h])
            try network.add("bn\(a)", try batchNorm(a, width))
            try network.add("act\(a)", .leakyReLU(slope: slope))
            try network.add("conv\(b)", try convolution(b, width, width))
            let y = try network.add("bn\(b)", try batchNorm(b, width))
            let shortcut = try self.shortcut(&network, block: block, from: h, input: input, width: width)
            try network.add("block\(block).add", .add, inputs: [y, shortcut])
            h = try network.add("block\(block).act", .leakyReLU(slope: slope))
        }
        try classifier(&network)
        return network
    }

    func fixup() throws -> Network<T> {
        var network = Network<T>(inputShape: CIFARImage.shape)
        let mean = try values("input.mean", [3])
        let std = try values("input.std", [3])
        guard std.allSatisfy({ $0 != 0 }) else {
            throw PlacedError(at: .tensor("input.std", in: file.source), "contains a zero")
        }
        try network.add(
            "input.normalisation",
            .inputAffine(scale: std.map { 1 / $0 }, shift: (0..<3).map { -mean[$0] / std[$0] }))
        let plan = ModelZoo.channelPlan(.resnet20Fixup)
        try network.add("conv0", try convolution(0, 3, 32))
        try network.add("fixup.bias0", .scalarBias(try scalar("fixup.bias0")))
        var h = try network.add("relu0", .relu)
        for block in 1...9 {
            let a = 2 * block - 1
            let b = 2 * block
            let j = 4 * block - 3
            let (input, width) = plan[a]
            let stride = input == width ? 1 : 2
            try network.add("fixup.bias\(j)", .scalarBias(try scalar("fixup.bias\(j)")), inputs: [h])
            try network.add("conv\(a)", try convolution(a, input, width, stride: stride))
            try network.add("fixup.bias\(j + 1)", .scalarBias(try scalar("fixup.bias\(j + 1)")))
            try network.add("relu\(a)", .relu)
            try network.add("fixup.bias\(j + 2)", .scalarBias(try scalar("fixup.bias\(j + 2)")))
            try network.add("conv\(b)", try convolution(b, width, width))
            try network.add("fixup.scale\(b)", .multiplier(try scalar("fixup.scale\(b)")))
            let y = try network.add(
                "fixup.bias\(j + 3)", .scalarBias(try scalar("fixup.bias\(j + 3)")))
            let shortcut = try self.shortcut(&network, block: block, from: h, input: input, width: width)
            try network.add("block\(block).add", .add, inputs: [y, shortcut])
            h = try network.add("block\(block).relu", .relu)
        }
        try classifier(&network)
        return network
    }

    /// Identity, or (when the width grows) average pooling with window 1 and stride 2 followed
    /// by zero channels appended after the existing ones.
    func shortcut(_ network: inout Network<T>, block: Int, from h: Int, input: Int, width: Int)
        throws -> Int
    {
        guard input != width else { return h }
        try network.add(
            "block\(block).shortcut.pool", .averagePool(window: 1, stride: 2, padding: .valid),
            inputs: [h])
        return try network.add("block\(block).shortcut.pad", .channelPadding(extra: width - input))
    }
}

/// A small deterministic generator (SplitMix64) for reproducible random weights and tests.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences on every platform.
    public init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[lower, upper)`.
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * Double(next() >> 11) / Double(1 << 53)
    }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u = max(uniform(0, 1), Double.leastNormalMagnitude)
        let v = uniform(0, 1)
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}
