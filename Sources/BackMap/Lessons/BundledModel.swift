import Foundation
import LinearAlgebra

/// A model of the paper, folded and ready for back-maps, with the provenance of its weights.
///
/// ```swift
/// let vgg = try BundledModel.load(.vgg7, as: Double.self)
/// print(vgg.provenance)
/// let h = try vgg.network.backMap(x, mode: .rm0(unit: 3))
/// ```
public struct BundledModel<T: BLASScalar>: Sendable {
    /// The folded network (batch norm in the kernels, every bias in `x_b`).
    public var network: FoldedNetwork<T>
    /// What the weight file's metadata says about the architecture.
    public var configuration: ModelConfiguration
    /// Where the weights come from.
    public var provenance: ModelProvenance
    /// The weight file the model was built from (tensors and metadata), e.g. to read the
    /// batch-norm parameters or to build a variant of the model.
    public var weights: SafeTensorsFile
    /// The network before folding: batch norm, multipliers and input normalisation as
    /// separate steps (``Network/evaluate(_:)``).
    public var original: Network<T>

    /// The architecture.
    public var kind: ModelKind { configuration.kind }

    /// Loads a model the way every notebook and the `backmap` tool do
    /// (``ModelZoo/weights(for:root:randomSeed:)``), in precision `T`, folded.
    ///
    /// ```swift
    /// let resnet32 = try BundledModel.load(.resnet20, as: Float.self)
    /// ```
    /// - Parameters:
    ///   - kind: VGG7, ResNet20 or ResNet20-Fixup.
    ///   - root: The project root (default: the current folder, where notebooks run).
    ///   - randomSeed: The seed of the random weights used when no weight file exists.
    /// - Throws: ``PlacedError`` or ``NetworkError`` naming the tensor for a broken file.
    public static func load(
        _ kind: ModelKind, as type: T.Type = T.self, root: URL = ProjectRoot.current,
        randomSeed: UInt64 = 1
    ) throws -> BundledModel<T> {
        let (file, provenance) = try ModelZoo.weights(for: kind, root: root, randomSeed: randomSeed)
        let (network, configuration) = try ModelZoo.network(from: file, expected: kind, as: T.self)
        return BundledModel(
            network: try network.folded(), configuration: configuration, provenance: provenance,
            weights: file, original: network)
    }

    /// The class the model predicts for an image.
    ///
    /// ```swift
    /// let predicted = try vgg.classify(image)  // 3
    /// ```
    public func classify(_ image: TestImage) throws -> Int {
        try network.classify(image.pixels(as: T.self))
    }

    /// The first image the model classifies correctly, else the first image.
    ///
    /// ```swift
    /// let image = try vgg.firstCorrectlyClassified(in: try TestImage.cifar10(limit: 50))
    /// ```
    /// - Throws: ``BackMapError`` when `images` is empty.
    public func firstCorrectlyClassified(in images: [TestImage]) throws -> TestImage {
        guard let first = images.first else {
            throw BackMapError.invalidArgument("firstCorrectlyClassified: no images given")
        }
        for image in images where try classify(image) == image.label { return image }
        return first
    }
}

/// The project root that notebooks and the `backmap` tool run in.
///
/// ```swift
/// let models = ProjectRoot.current.appendingPathComponent("Models")
/// ```
public enum ProjectRoot {
    /// The current working folder (notebook programs run with the project root as theirs).
    public static var current: URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}
