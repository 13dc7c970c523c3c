import BackMap
import Foundation
import PNGCodec
import Synchronization

/// The unit explorer's engine: answers the JSON API of `notebook serve` (models, thumbnails,
/// feature maps, back-maps, uploads) with loaded models and recent forward passes cached, so a
/// click on a unit costs one adjoint pass and its pictures.
///
/// ```swift
/// let explorer = Explorer(root: projectRoot)
/// let answer = try explorer.backMap(try ExplorerQuery.parse(["layer": "3", "channel": "5", "row": "8", "column": "8"]))
/// print(answer.actual, answer.reconstructed, answer.relativeError)
/// ```
public final class Explorer: Sendable {
    /// The largest PNG upload accepted, in bytes.
    public static let maximumUploadBytes = 65_536
    /// How many images a thumbnail request may ask for.
    public static let maximumThumbnails = 64

    /// The project root (models in `Models/`, CIFAR-10 beside it or in `$CIFAR10_DIR`).
    public let root: URL
    private let testImageLimit: Int?
    private let workbenches = RecentCache<ModelSelection, any ModelWorkbench>(capacity: 6)
    /// Held while a model loads, so that one selection is loaded once.
    private let loading = Mutex(())
    private let testImages = RecentCache<Int, [TestImage]>(capacity: 1)
    private let uploads = RecentCache<String, ExplorerImage>(capacity: 64)

    /// Creates an explorer; nothing is loaded until a request needs it.
    ///
    /// - Parameters:
    ///   - root: The project root.
    ///   - testImageLimit: Read only the first this many test images (default: all 10 000).
    public init(root: URL, testImageLimit: Int? = nil) {
        self.root = root
        self.testImageLimit = testImageLimit
    }

    /// A model's layers, classes and provenance (loads the model).
    ///
    /// ```swift
    /// let summary = try explorer.model(try ModelSelection.parse(["model": "resnet20"]))
    /// ```
    /// - Throws: ``ExplorerError`` (500) when the weights or images cannot be read.
    public func model(_ selection: ModelSelection) throws(ExplorerError) -> ModelSummary {
        try Self.answering { try workbench(selection).summary }
    }

    /// Thumbnails of test images `start..<start+count` with label and prediction.
    ///
    /// ```swift
    /// let strip = try explorer.thumbnails(selection, start: 0, count: 16)
    /// ```
    /// - Throws: ``ExplorerError`` (400) for a range outside the test set or too many images.
    public func thumbnails(_ selection: ModelSelection, start: Int, count: Int) throws(ExplorerError)
        -> [Thumbnail]
    {
        try Self.answering {
            let images = try allTestImages()
            guard (1...Self.maximumThumbnails).contains(count) else {
                throw ExplorerError.badRequest("count", "must be 1…\(Self.maximumThumbnails), got \(count)")
            }
            guard start >= 0, start < images.count else {
                throw ExplorerError.badRequest("start", "\(start) is outside 0…\(images.count - 1)")
            }
            let bench = try workbench(selection)
            return try images[start..<min(images.count, start + count)].map { test in
                let image = ExplorerImage(
                    reference: .test(test.index), pixels: test.record.pixels(as: Double.self))
                return Thumbnail(
                    index: test.index, label: test.className,
                    predicted: TestImage.className(of: try bench.predictedClass(of: image)),
                    png: try Pictures.photo(image.pixels, scale: 1))
            }
        }
    }

    /// The feature maps of one layer on one image.
    ///
    /// ```swift
    /// let maps = try explorer.features(try FeatureQuery.parse(["layer": "3", "image": "0"]))
    /// ```
    /// - Throws: ``ExplorerError``: 400 for a layer or image that does not exist.
    public func features(_ query: FeatureQuery) throws(ExplorerError) -> FeatureMaps {
        try Self.answering {
            try workbench(query.selection).features(of: try image(query.image), layer: query.layer)
        }
    }

    /// The hypersurface a query asks for, with its pictures and numbers.
    ///
    /// ```swift
    /// let answer = try explorer.backMap(try ExplorerQuery.parse(["mode": "rm0", "unit": "3"]))
    /// ```
    /// - Throws: ``ExplorerError``: 400 naming the field for a layer, unit or image that does not
    ///   exist, 404 for an unknown upload.
    public func backMap(_ query: ExplorerQuery) throws(ExplorerError) -> BackMapAnswer {
        try Self.answering {
            try workbench(query.selection).backMap(query, image: try image(query.image))
        }
    }

    /// Accepts a 32×32 PNG (RGB, RGBA, grey; at most ``maximumUploadBytes``) and returns the
    /// identifier to use as `image`.
    ///
    /// ```swift
    /// let id = try explorer.upload(try PNGImage(contentsOf: url).pngData()).image  // upload:…
    /// ```
    /// - Throws: ``ExplorerError``: 413 when too large, 400 when not a 32×32 PNG.
    public func upload(_ data: [UInt8]) throws(ExplorerError) -> UploadAnswer {
        guard data.count <= Self.maximumUploadBytes else {
            throw ExplorerError(
                status: 413, field: "upload",
                message: "the PNG is \(data.count) bytes; at most \(Self.maximumUploadBytes) are accepted")
        }
        let decoded: PNGImage
        do {
            decoded = try PNGImage(pngData: data, format: .rgb8, source: "upload")
        } catch {
            throw .badRequest("upload", "not a readable PNG: \(error)")
        }
        guard decoded.width == 32, decoded.height == 32 else {
            throw .badRequest(
                "upload", "the image is \(decoded.width)×\(decoded.height); the models take 32×32")
        }
        let identifier = Self.identifier(of: data)
        let pixels = decoded.pixels.map { Double($0) / 255 }
        uploads.store(ExplorerImage(reference: .upload(identifier), pixels: pixels), for: identifier)
        return try Self.answering {
            UploadAnswer(image: "upload:\(identifier)", png: try Pictures.photo(pixels, scale: 1))
        }
    }

    /// The peak units of the strongest channels of a layer on a test image.
    func strongestUnits(_ selection: ModelSelection, image: Int, layer: Int, count: Int) throws(ExplorerError)
        -> [Location]
    {
        try Self.answering {
            try workbench(selection).strongestUnits(
                of: try self.image(.test(image)), layer: layer, count: count)
        }
    }

    // MARK: - Loading

    private func workbench(_ selection: ModelSelection) throws -> any ModelWorkbench {
        if let loaded = workbenches.lookup(selection) { return loaded }
        return try loading.withLock { _ in
            if let loaded = workbenches.lookup(selection) { return loaded }
            let count = try allTestImages().count
            let bench: any ModelWorkbench
            switch selection.precision {
            case .float:
                bench = Workbench(
                    model: try BundledModel.load(selection.model, as: Float.self, root: root),
                    selection: selection, testImages: count)
            case .double:
                bench = Workbench(
                    model: try BundledModel.load(selection.model, as: Double.self, root: root),
                    selection: selection, testImages: count)
            }
            workbenches.store(bench, for: selection)
            return bench
        }
    }

    private func allTestImages() throws -> [TestImage] {
        try testImages.value(for: 0) { try TestImage.cifar10(limit: testImageLimit, root: root) }
    }

    private func image(_ reference: ImageReference) throws -> ExplorerImage {
        switch reference {
        case .test(let index):
            let images = try allTestImages()
            guard images.indices.contains(index) else {
                throw ExplorerError.badRequest(
                    "image", "test image \(index) is outside 0…\(images.count - 1)")
            }
            return ExplorerImage(reference: reference, pixels: images[index].record.pixels(as: Double.self))
        case .upload(let identifier):
            guard let uploaded = uploads.lookup(identifier) else {
                throw ExplorerError(
                    status: 404, field: "image",
                    message:
                        "no upload \(identifier) (uploads are kept while the server runs; upload it again)")
            }
            return uploaded
        }
    }

    /// 16 hex digits of a 64-bit FNV-1a hash of the bytes.
    static func identifier(of data: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Runs `body`, turning engine and file errors into ``ExplorerError``s.
    static func answering<R>(_ body: () throws -> R) throws(ExplorerError) -> R {
        do {
            return try body()
        } catch let error as ExplorerError {
            throw error
        } catch let error as BackMapError {
            throw ExplorerError(status: 400, message: error.description)
        } catch {
            throw ExplorerError(status: 500, message: "\(error)")
        }
    }
}
