import Explorer
import Foundation
import NotebookKit
import Testing

@testable import NotebookServer

@Suite("static explorer export")
struct StaticExportTests {
    @Test("the export writes the page, the answerer and one bundle per model and image, within the budget")
    func export() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent(
            "static-\(UUID().uuidString)")
        var export = StaticExplorerExport(
            explorer: Explorer(root: projectRoot, testImageLimit: 8), images: [1])
        export.models = [ModelSelection(model: .vgg7, precision: .float)]
        export.unitsPerLayer = 2
        let report = try export.write(into: site)
        #expect(report.bundles == ["vgg7-float-1"] && report.skipped.isEmpty)
        let data = site.appendingPathComponent("explorer-data")
        let page = try String(contentsOf: site.appendingPathComponent("explore.html"), encoding: .utf8)
        #expect(page.contains("explorer-data/static.js") && !page.contains("/__live/"))
        let bundle = try String(contentsOf: data.appendingPathComponent("vgg7-float-1.js"), encoding: .utf8)
        let json = try #require(bundle.split(separator: ",", maxSplits: 1).last?.dropLast(3))
        let decoded = try JSONDecoder().decode(StaticBundle.self, from: Data(json.utf8))
        #expect(decoded.answers.keys.filter { $0.hasPrefix("rm0/") }.count == 10)
        #expect(decoded.answers.keys.filter { $0.hasPrefix("rm2/") }.count == 6 * 2)  // VGG7: 6 convolutions
        #expect(decoded.features.count == 7)
        let files = try FileManager.default.subpathsOfDirectory(atPath: site.path)
        let total = try files.reduce(0) { sum, file in
            let attributes = try FileManager.default.attributesOfItem(
                atPath: site.appendingPathComponent(file).path)
            return sum
                + ((attributes[.type] as? FileAttributeType) == .typeRegular
                    ? (attributes[.size] as? Int ?? 0) : 0)
        }
        #expect(total == report.bytes)

        export.budget = 100_000
        let small = try export.write(into: site)
        #expect(small.bundles.isEmpty && small.skipped == ["vgg7-float-1"] && small.bytes <= 100_000)
    }

    @Test("an export into a built site links it from every page; the live script then adds no second link")
    func exportLinksTheSite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "static-linked-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebooks = folder.appendingPathComponent("Notebooks")
        try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
        try Data("---\ntitle: Only page\n---\nText.\n".utf8).write(
            to: notebooks.appendingPathComponent("only.md"))
        let site = folder.appendingPathComponent("Site")
        let runner = NotebookRunner.Configuration(
            projectRoot: projectRoot, workDirectory: folder.appendingPathComponent("work"),
            importableModules: try PackageModules.importable(
                fromPackageAt: projectRoot, scratchDirectory: folder.appendingPathComponent("manifest")))
        let builder = SiteBuilder(configuration: .init(runner: runner, siteDirectory: site))
        _ = try builder.buildAll(in: notebooks)
        let link = #"<a href="explore.html">Unit explorer</a>"#
        let page = { (name: String) in
            try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8)
        }
        #expect(try !page("only.html").contains(link) && !page("index.html").contains(link))

        var export = StaticExplorerExport(
            explorer: Explorer(root: projectRoot, testImageLimit: 8), images: [0])
        export.models = [ModelSelection(model: .vgg7, precision: .float)]
        export.unitsPerLayer = 1
        let report = try export.write(into: site)
        #expect(report.linkedPages == ["index.html", "only.html"])
        #expect(try page("only.html").contains(link) && page("index.html").contains(link))
        // The served pages get the live script, whose link is added only where none matches.
        #expect(LiveScript.source.contains(#"!document.querySelector("a[href='explore.html']")"#))
        let served = String(
            decoding: PreviewHandler.withLiveScript(Data(try page("only.html").utf8)), as: UTF8.self)
        #expect(served.contains("/__live/live.js") && served.components(separatedBy: link).count == 2)

        _ = try builder.buildAll(in: notebooks)  // a later build keeps the explorer and its link
        #expect(
            try page("only.html").contains(link) && page("explore.html").contains("explorer-data/static.js"))
    }
}
