import Explorer
import Foundation
import NotebookKit

/// Writes the server-less explorer into a site folder: `explore.html` and `explore.js` as
/// served, `explorer-data/index.js` (models, thumbnails, the list of bundles),
/// `explorer-data/static.js` (the answerer) and one `explorer-data/<model>-<precision>-<image>.js`
/// per precomputed model and image, within a budget of bytes.
///
/// ```swift
/// let report = try StaticExplorerExport(explorer: explorer, images: [0, 1, 2, 3]).write(into: site)
/// print(report.bytes)
/// ```
public struct StaticExplorerExport: Sendable {
    /// What an export wrote.
    public struct Report: Sendable {
        /// The bundles written, `vgg7-float-0`, ….
        public var bundles: [String] = []
        /// Bytes of every file written.
        public var bytes = 0
        /// Bundles left out to keep within the budget.
        public var skipped: [String] = []
        /// The site's pages whose sidebar now links `explore.html` (``SiteLinks``); not counted
        /// in ``bytes``.
        public var linkedPages: [String] = []
    }

    /// The engine.
    public var explorer: Explorer
    /// The models, in order of priority.
    public var models: [ModelSelection] = [
        ModelSelection(model: .vgg7, precision: .float), ModelSelection(model: .resnet20, precision: .float),
    ]
    /// The test images.
    public var images: [Int]
    /// RM2 answers per convolution layer and image (the strongest channels' peaks).
    public var unitsPerLayer = 8
    /// The most bytes the export may write.
    public var budget = 16 << 20

    /// Creates an export of `images` (defaults for everything else).
    public init(explorer: Explorer, images: [Int]) {
        self.explorer = explorer
        self.images = images
    }

    /// Writes the files (each atomically); a bundle that would pass the budget is skipped.
    /// Then, when `site` is a built site, every page's sidebar gets the "Unit explorer" link
    /// (``SiteLinks/refresh(site:)``).
    ///
    /// - Throws: ``ExplorerError`` from the engine, `NotebookError` when the site's pages cannot
    ///   be linked, or a file system error.
    public func write(into site: URL, log: (String) -> Void = { _ in }) throws -> Report {
        let data = site.appendingPathComponent("explorer-data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var report = Report()
        report.bytes += try write(ExplorerPage.html(live: false, staticSet: true), to: site, "explore.html")
        report.bytes += try write(ExplorerScript.source, to: site, "explore.js")
        report.bytes += try write(StaticExplorerScript.source, to: data, "static.js")
        var summaries: [String: ModelSummary] = [:]
        var thumbnails: [String: [Thumbnail]] = [:]
        for selection in models {
            let key = "\(selection.model.rawValue)-\(selection.precision.rawValue)"
            summaries[key] = try explorer.model(selection)
            thumbnails[key] = try images.map { try explorer.thumbnails(selection, start: $0, count: 1)[0] }
            for image in images {
                let name = "\(key)-\(image)"
                let bundle = try explorer.staticBundle(selection, image: image, unitsPerLayer: unitsPerLayer)
                let script = "EXPLORER_STATIC.deliver(\(try Self.json(name)), \(try Self.json(bundle)));\n"
                guard report.bytes + script.utf8.count <= budget else {
                    report.skipped.append(name)
                    continue
                }
                report.bytes += try write(script, to: data, "\(name).js")
                report.bundles.append(name)
                log("explorer-data/\(name).js: \(script.utf8.count / 1024) KiB")
            }
        }
        struct Index: Encodable {
            var models: [String: ModelSummary]
            var thumbnails: [String: [Thumbnail]]
            var bundles: [String]
            var description: String
        }
        let description =
            "test images \(images.map(String.init).joined(separator: ", ")); RM0 of every class and RM2 of the "
            + "\(unitsPerLayer) strongest channels' peak units in every convolution layer"
        let index = Index(
            models: summaries, thumbnails: thumbnails, bundles: report.bundles, description: description)
        report.bytes += try write(
            "window.EXPLORER_STATIC_INDEX = \(try Self.json(index));\n", to: data, "index.js")
        report.linkedPages = try SiteLinks.refresh(site: site)
        return report
    }

    private func write(_ text: String, to folder: URL, _ name: String) throws -> Int {
        let bytes = Data(text.utf8)
        try bytes.write(to: folder.appendingPathComponent(name), options: .atomic)
        return bytes.count
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
