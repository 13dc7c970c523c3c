import Explorer
import Foundation
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
}
