import Foundation
import NotebookSupport
import Testing

@testable import NotebookKit

/// The example of `docs/WRITING-A-NOTEBOOK.md` builds as a notebook against the engine and
/// shows a hypersurface, a table and a chart, in under 30 lines of Swift.
///
/// It has its own generated package (`.build-notebooks-guide/`, kept between runs), because it
/// is the one runner test that builds the engine.
@Suite("The writing guide's example", .serialized)
struct WritingGuideTests {
    static let workDirectory = TestSupport.repositoryRoot.appendingPathComponent(".build-notebooks-guide")

    /// The notebook between the guide's ````markdown fence and its closing fence.
    static func example() throws -> String {
        let guide = try String(
            contentsOf: TestSupport.repositoryRoot.appendingPathComponent("docs/WRITING-A-NOTEBOOK.md"),
            encoding: .utf8)
        let opening = try #require(guide.range(of: "````markdown\n"))
        let closing = try #require(guide.range(of: "\n````\n", range: opening.upperBound..<guide.endIndex))
        return String(guide[opening.upperBound..<closing.lowerBound]) + "\n"
    }

    @Test func exampleBuildsWithAHypersurfaceATableAndAChart() throws {
        let text = try Self.example()
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TestSupport.write(text, to: "first-hypersurface.md", in: folder)
        let notebook = try Notebook(contentsOf: url, path: "Notebooks/first-hypersurface.md")
        let swiftLines = notebook.cells.map { cell in
            cell.code.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.count
        }
        #expect(swiftLines.reduce(0, +) < 30, "\(swiftLines)")

        let runner = NotebookRunner(
            configuration: .init(
                projectRoot: TestSupport.repositoryRoot, workDirectory: Self.workDirectory,
                buildConfiguration: .debug, importableModules: TestSupport.projectModules, forcesRun: true,
                log: { _ in }))
        let result = try #require(try runner.run([notebook])["first-hypersurface"])
        let items = result.record.blocks.flatMap(\.items)
        #expect(!items.contains { $0.kind == .error })
        // The test image, the hypersurface figure (an SVG with its colour bar) and its table,
        // the table of class scores and the bias chart.
        #expect(items.map(\.kind).filter { $0 != .text } == [.image, .chart, .table, .table, .chart])
        let figure = try #require(items.first { $0.kind == .chart }?.file)
        let svg = try String(
            contentsOf: result.outputDirectory.appendingPathComponent(figure), encoding: .utf8)
        #expect(svg.contains("data:image/png;base64,") && svg.contains("Hᴵ blue"))
        #expect(items.first { $0.kind == .table && ($0.table?.rows.count ?? 0) == 10 } != nil)
    }
}
