import Foundation
import Testing

@testable import NotebookKit

/// The sidebar's "Unit explorer" link: present on every page exactly when the site holds the
/// static explorer, whether the pages were linked after an export or rebuilt later.
@Suite("The unit explorer's link in the sidebar")
struct ExplorerLinkTests {
    static let link = #"<a href="explore.html">Unit explorer</a>"#

    /// A project with two notebooks (nothing compiles) built into its site, titled "Course".
    private func makeBuiltSite() throws -> (folder: URL, builder: SiteBuilder, site: URL) {
        let folder = try TestSupport.makeTemporaryDirectory()
        let notebooks = folder.appendingPathComponent("Notebooks")
        try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
        try TestSupport.write("---\ntitle: One\norder: 1\n---\nFirst page.\n", to: "one.md", in: notebooks)
        try TestSupport.write("---\ntitle: Two\norder: 2\n---\nSecond page.\n", to: "two.md", in: notebooks)
        let site = folder.appendingPathComponent("Site")
        let runner = NotebookRunner.Configuration(
            projectRoot: TestSupport.repositoryRoot, workDirectory: folder.appendingPathComponent("work"),
            importableModules: TestSupport.projectModules)
        let builder = SiteBuilder(
            configuration: .init(runner: runner, siteDirectory: site, siteTitle: "Course <A&B>"))
        _ = try builder.buildAll(in: notebooks)
        return (folder, builder, site)
    }

    /// Writes what the static export leaves in a site: the page and its data's index.
    private func addExplorer(to site: URL) throws {
        let data = site.appendingPathComponent("explorer-data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try TestSupport.write("<!doctype html><title>Unit explorer</title>\n", to: "explore.html", in: site)
        try TestSupport.write("window.EXPLORER_STATIC_INDEX = {};\n", to: "index.js", in: data)
    }

    /// How many times each page of the site links the explorer.
    private func linkCounts(in site: URL) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in ["index.html", "one.html", "two.html"] {
            let html = try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8)
            #expect(html.contains(#"<a href="index.html">Course &lt;A&amp;B&gt;</a>"#), "\(name)")
            counts[name] = html.components(separatedBy: Self.link).count - 1
        }
        return counts
    }

    @Test("a site without explore.html has no link; linking it after an export adds one to every page")
    func linkingAfterExport() throws {
        let (folder, _, site) = try makeBuiltSite()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!SiteLinks.hasExplorer(in: site))
        #expect(try linkCounts(in: site) == ["index.html": 0, "one.html": 0, "two.html": 0])
        #expect(try SiteLinks.refresh(site: site).isEmpty)  // nothing to change

        try addExplorer(to: site)
        #expect(SiteLinks.hasExplorer(in: site))
        let before = try String(contentsOf: site.appendingPathComponent("two.html"), encoding: .utf8)
        #expect(try SiteLinks.refresh(site: site) == ["index.html", "one.html", "two.html"])
        #expect(try linkCounts(in: site) == ["index.html": 1, "one.html": 1, "two.html": 1])
        let after = try String(contentsOf: site.appendingPathComponent("two.html"), encoding: .utf8)
        #expect(after.contains(#"<a href="two.html" aria-current="page">Two</a>"#))
        #expect(after.contains(#"<a rel="prev" href="one.html">← One</a>"#))
        #expect(after.replacingOccurrences(of: SiteNavigation.explorerLinks, with: "") == before)
        #expect(try SiteLinks.refresh(site: site).isEmpty)  // linking twice changes nothing
    }

    @Test("a later build keeps the link while explore.html is there and drops it when it is gone")
    func rebuildsFollowTheExplorer() throws {
        let (folder, builder, site) = try makeBuiltSite()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebooks = folder.appendingPathComponent("Notebooks")
        try addExplorer(to: site)
        _ = try builder.buildAll(in: notebooks)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("explore.html").path))
        #expect(try linkCounts(in: site) == ["index.html": 1, "one.html": 1, "two.html": 1])
        _ = try builder.buildOne(notebooks.appendingPathComponent("two.md"))
        #expect(try linkCounts(in: site) == ["index.html": 1, "one.html": 1, "two.html": 1])

        try FileManager.default.removeItem(at: site.appendingPathComponent("explore.html"))
        _ = try builder.buildAll(in: notebooks)
        #expect(try linkCounts(in: site) == ["index.html": 0, "one.html": 0, "two.html": 0])
    }

    @Test("a page named explore.html without explorer data is not taken for the explorer")
    func notebookNamedExploreIsNotTheExplorer() throws {
        let (folder, _, site) = try makeBuiltSite()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestSupport.write("<!doctype html>\n", to: "explore.html", in: site)
        #expect(!SiteLinks.hasExplorer(in: site))
        #expect(try SiteLinks.refresh(site: site).isEmpty)
    }

    @Test("a manifest without the site title (older runner) is refused, naming the manifest")
    func olderManifestIsRefused() throws {
        let (folder, _, site) = try makeBuiltSite()
        defer { try? FileManager.default.removeItem(at: folder) }
        var manifest = SiteManifest.load(from: site)
        manifest.siteTitle = nil
        try manifest.encoded().write(to: SiteManifest.file(in: site))
        try addExplorer(to: site)
        #expect {
            try SiteLinks.refresh(site: site)
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.file.hasSuffix("assets/pages.json") && error.message.contains("rebuild the site")
        }
        #expect(try linkCounts(in: site) == ["index.html": 0, "one.html": 0, "two.html": 0])
    }
}
