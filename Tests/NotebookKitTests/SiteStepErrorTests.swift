import Foundation
import Testing

@testable import NotebookKit

/// A site build's errors name the step they came from: parse, render or site.
@Suite("Site build errors name their step")
struct SiteStepErrorTests {
    private func makeBuilder(site: URL? = nil) throws -> (folder: URL, notebooks: URL, builder: SiteBuilder) {
        let folder = try TestSupport.makeTemporaryDirectory()
        let notebooks = folder.appendingPathComponent("Notebooks")
        try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
        let runner = NotebookRunner.Configuration(
            projectRoot: TestSupport.repositoryRoot, workDirectory: folder.appendingPathComponent("work"),
            importableModules: TestSupport.projectModules)
        let builder = SiteBuilder(
            configuration: .init(runner: runner, siteDirectory: site ?? folder.appendingPathComponent("Site"))
        )
        return (folder, notebooks, builder)
    }

    @Test func aBadFrontMatterIsAParseError() throws {
        let (folder, notebooks, builder) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestSupport.write("---\norder: first\n---\nText.\n", to: "bad.md", in: notebooks)
        #expect {
            try builder.buildAll(in: notebooks)
        } throws: { error in
            let error = (error as? NotebookErrors)?.errors.first
            return error?.step == .parse && error?.line == 2
                && error?.description.contains(": error: parse: ") == true
        }
    }

    @Test func anUnknownReferenceIsARenderError() throws {
        let (folder, notebooks, builder) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestSupport.write("Text\n\nSee \\ref{fig:nothing}.\n", to: "refs.md", in: notebooks)
        #expect {
            try builder.buildOne(notebooks.appendingPathComponent("refs.md"))
        } throws: { error in
            let error = error as? NotebookError
            return error?.step == .render && error?.line == 3
                && error?.description.contains(": error: render: unknown label 'fig:nothing'") == true
        }
    }

    @Test func anUnwritableSiteIsASiteError() throws {
        let blocker = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: blocker) }
        // The site's parent is a plain file, so its staging folder cannot be created.
        let file = try TestSupport.write("not a folder\n", to: "file", in: blocker)
        let (folder, notebooks, builder) = try makeBuilder(site: file.appendingPathComponent("Site"))
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestSupport.write("# Fine\n", to: "fine.md", in: notebooks)
        #expect {
            try builder.buildAll(in: notebooks)
        } throws: { error in
            let error = error as? NotebookError
            return error?.step == .site && error?.file == file.appendingPathComponent("Site").path
        }
    }
}
