import Foundation
import NotebookSupport
import Testing

@testable import NotebookKit

/// The render and site steps on their own: what they produce, and how they fail.
@Suite("Render and site steps")
struct RenderAndSiteStepTests {
    /// A project folder with `Notebooks/<name>` holding `source`, its parsed notebook, and a
    /// site configuration writing to `<folder>/Site`.
    private func project(_ source: String, named name: String = "page.md") throws -> (
        folder: URL, notebook: Notebook, configuration: SiteBuilder.Configuration
    ) {
        let folder = try TestSupport.makeTemporaryDirectory()
        let notebooks = folder.appendingPathComponent("Notebooks")
        try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
        let file = try TestSupport.write(source, to: name, in: notebooks)
        let notebook = try Notebook(contentsOf: file, path: "Notebooks/\(name)")
        let runner = NotebookRunner.Configuration(
            projectRoot: folder, workDirectory: folder.appendingPathComponent("work"),
            importableModules: TestSupport.projectModules)
        return (folder, notebook, .init(runner: runner, siteDirectory: folder.appendingPathComponent("Site")))
    }

    private func outcome(_ items: [OutputItem] = [], in folder: URL) -> NotebookRunner.Outcome {
        let blocks = items.isEmpty ? [] : [RunRecord.Block(items: items)]
        return .init(
            record: RunRecord(cacheKey: "test", blocks: blocks), outputDirectory: folder, isCached: true)
    }

    private func page(for notebook: Notebook, in folder: URL) -> SitePage {
        SitePage(
            name: notebook.name, title: notebook.title, description: notebook.frontMatter.description,
            order: nil, isInCourse: true, source: folder.appendingPathComponent(notebook.path).path,
            sections: [])
    }

    private func render(
        _ notebook: Notebook, outcome: NotebookRunner.Outcome, pages: [SitePage],
        configuration: SiteBuilder.Configuration
    ) throws -> [RenderedNotebook] {
        try RenderStep(configuration: configuration)(
            .init(
                notebooks: [notebook], outcomes: [notebook.name: outcome], pages: pages,
                linksExplorer: false, reportedFile: configuration.siteDirectory.path))
    }

    @Test func renderingMakesThePageItsSectionsAndDescription() throws {
        let source = "---\ndescription: About $x$.\n---\n# Title\n\n## Part\n\nEnergy $E = mc^2$.\n"
        let (folder, notebook, configuration) = try project(source)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rendered = try render(
            notebook, outcome: outcome(in: folder), pages: [page(for: notebook, in: folder)],
            configuration: configuration)
        let only = try #require(rendered.first as RenderedNotebook?)
        #expect(rendered.count == 1)
        #expect(only.page.html.contains("<span class=\"katex\">"))
        #expect(only.page.sections.contains { $0.title == "Part" && $0.text.contains("E = mc^2") })
        #expect(only.descriptionHTML.hasPrefix("About <span class=\"katex\">"))
        #expect(!FileManager.default.fileExists(atPath: configuration.siteDirectory.path))
    }

    @Test func aRenderErrorNamesTheStepAndTheNotebooksLine() throws {
        let (folder, notebook, configuration) = try project("# Refs\n\nSee \\ref{fig:nothing}.\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try render(notebook, outcome: outcome(in: folder), pages: [], configuration: configuration)
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.step == .render && error.file == "Notebooks/page.md" && error.line == 3
                && error.description.hasPrefix(
                    "Notebooks/page.md:3:5: error: render: unknown label 'fig:nothing'")
        }
    }

    @Test func aMissingImageIsARenderErrorAtItsLine() throws {
        let (folder, notebook, configuration) = try project("# Pictures\n\n![a cat](cat.png)\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try render(notebook, outcome: outcome(in: folder), pages: [], configuration: configuration)
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.step == .render && error.line == 3
                && error.message.hasPrefix("image 'cat.png' is not a file inside the notebook's folder")
        }
    }

    @Test func theSiteStepWritesPagesIndexManifestAndCarriesOverOtherPages() throws {
        let (folder, notebook, configuration) = try project("# Fine\n\nText.\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = configuration.siteDirectory
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try TestSupport.write("<p>other</p>\n", to: "other.html", in: site)
        let entry = page(for: notebook, in: folder)
        let rendered = try render(
            notebook, outcome: outcome(in: folder), pages: [entry], configuration: configuration)
        try SiteStep(configuration: configuration)(
            .init(
                rendered: rendered, entries: [notebook.name: entry], dropped: [], unbuilt: [],
                introduction: "", linksExplorer: false))
        #expect(
            try String(contentsOf: site.appendingPathComponent("page.html"), encoding: .utf8)
                == rendered[0].page.html)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("page/page.md").path))
        #expect(
            try String(contentsOf: site.appendingPathComponent("other.html"), encoding: .utf8)
                == "<p>other</p>\n")
        let manifest = SiteManifest.load(from: site)
        #expect(manifest.pages.map(\.name) == ["page"])
        #expect(manifest.pages.first?.sections == rendered[0].page.sections)
        #expect(
            try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
                .contains("href=\"page.html\""))
    }

    @Test func aFailingSiteStepLeavesTheOldSiteAndNoStagingFolder() throws {
        let (folder, notebook, configuration) = try project("# Chart\n\n```swift\nshow(1)\n```\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = configuration.siteDirectory
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try TestSupport.write("old index\n", to: "index.html", in: site)
        let before = TestSupport.snapshot(of: site)
        let chart = OutputItem.chart(.init(file: "missing.svg", caption: .init("A chart.")))
        let entry = page(for: notebook, in: folder)
        let rendered = try render(
            notebook, outcome: outcome([chart], in: folder), pages: [entry], configuration: configuration)
        #expect {
            try SiteStep(configuration: configuration)(
                .init(
                    rendered: rendered, entries: [notebook.name: entry], dropped: [], unbuilt: [],
                    introduction: "", linksExplorer: false))
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.step == .site && error.file == "Notebooks/page.md"
                && error.description.contains(": error: site: stored output file ")
        }
        #expect(TestSupport.snapshot(of: site) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers.sorted() == ["Notebooks", "Site"])
    }
}
