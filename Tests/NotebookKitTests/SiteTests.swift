import Foundation
import Testing

@testable import NotebookKit

/// Site building without compiling anything: these notebooks have no blocks that run.
@Suite("Building the site")
struct SiteTests {
    static let first = #"""
        ---
        title: First steps
        description: Inner products <and> escaping.
        order: 1
        ---
        The joint input $[\mathbf{x}_n;\mathbf{x}_b]$ and a numbered equation:

        $$c = \langle \mathbf{x}_n \mid \mathbf{H}^I \rangle + \langle \mathbf{x}_b \mid \mathbf{H}^b \rangle \label{eq:recon}$$

        $$a = b \notag$$

        $$\bigtimes_{i=1}^n X_i$$

        As \eqref{eq:recon} shows, <script>alert(1)</script> is text here.

        ## Code that does not run

        ```swift no-run
        let secret = "<b>"
        ```
        """#

    static let second = """
        ---
        title: Second
        order: 2
        raw-html: true
        ---
        Raw <b>bold</b> passes through here.
        """

    private func makeProject() throws -> (folder: URL, builder: SiteBuilder, site: URL) {
        let folder = try TestSupport.makeTemporaryDirectory()
        let notebooks = folder.appendingPathComponent("Notebooks")
        try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
        try TestSupport.write(Self.first, to: "first.md", in: notebooks)
        try TestSupport.write(Self.second, to: "second.md", in: notebooks)
        try TestSupport.write("Notes for *the course*. <i>raw</i>\n", to: "README.md", in: notebooks)
        let site = folder.appendingPathComponent("Site")
        let runner = NotebookRunner.Configuration(
            projectRoot: TestSupport.repositoryRoot,
            workDirectory: folder.appendingPathComponent("work"),
            importableModules: TestSupport.projectModules
        )
        let builder = SiteBuilder(configuration: .init(runner: runner, siteDirectory: site))
        return (folder, builder, site)
    }

    @Test func pagesIndexMathAndEscaping() throws {
        let (folder, builder, site) = try makeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))

        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        let firstLink = try #require(index.range(of: "href=\"first.html\""))
        let secondLink = try #require(index.range(of: "href=\"second.html\""))
        #expect(firstLink.lowerBound < secondLink.lowerBound)
        #expect(index.contains("Inner products &lt;and&gt; escaping."))
        #expect(index.contains("<p>Notes for <em>the course</em>. <!-- raw HTML omitted -->raw"))
        #expect(!index.contains("href=\"README.html\""))

        let page = try String(contentsOf: site.appendingPathComponent("first.html"), encoding: .utf8)
        #expect(page.contains("class=\"katex\""))
        #expect(!page.contains("katex-error"))
        #expect(!page.contains("$$"))
        #expect(page.contains(#"<span class="equation" id="eq-recon">"#))
        #expect(page.contains("\\tag{1}"))
        #expect(page.contains(##"<a class="ref" href="#eq-recon">(1)</a>"##))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>"))
        #expect(page.contains(#"<span class="badge">not run</span>"#))
        #expect(page.contains(#"<a rel="next" href="second.html">"#))
        #expect(page.contains(##"<a class="source" href="first/first.md">"##))
        #expect(
            FileManager.default.contents(atPath: site.appendingPathComponent("first/first.md").path)
                == Data(Self.first.utf8))
        #expect(page.contains(##"<li class="toc-level-2"><a href="#code-that-does-not-run">"##))

        let second = try String(contentsOf: site.appendingPathComponent("second.html"), encoding: .utf8)
        #expect(second.contains("Raw <b>bold</b> passes through"))

        let css = try String(
            contentsOf: site.appendingPathComponent("assets/katex/katex.min.css"), encoding: .utf8
        )
        #expect(!css.contains(".ttf") && !css.contains(".woff)"))
        let fonts = try FileManager.default.contentsOfDirectory(
            atPath: site.appendingPathComponent("assets/katex/fonts").path
        )
        #expect(fonts.contains("KaTeX_Main-Regular.woff2"))
    }

    @Test func rebuildingGivesByteIdenticalSite() throws {
        let (folder, builder, site) = try makeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        let before = TestSupport.snapshot(of: site)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        #expect(!before.isEmpty)
        #expect(TestSupport.snapshot(of: site) == before)
    }

    @Test func failedBuildLeavesPreviousSiteIntact() throws {
        let (folder, builder, site) = try makeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebooks = folder.appendingPathComponent("Notebooks")
        _ = try builder.buildAll(in: notebooks)
        let before = TestSupport.snapshot(of: site)

        try TestSupport.write(
            "# Broken\n\nFine $x$.\n\nBad $\\frac{1}{$ here.\n", to: "third.md", in: notebooks)
        #expect {
            try builder.buildAll(in: notebooks)
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.file.hasSuffix("Notebooks/third.md") && error.line == 5
                && error.message.hasPrefix("KaTeX cannot typeset $\\frac{1}{$")
        }
        #expect(TestSupport.snapshot(of: site) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(".Site") }
        #expect(leftovers.isEmpty)
    }

    @Test func unknownReferenceIsAnErrorWithItsLine() throws {
        let (folder, builder, _) = try makeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebooks = folder.appendingPathComponent("Notebooks")
        try TestSupport.write("Text\n\nSee \\ref{fig:nothing}.\n", to: "third.md", in: notebooks)
        #expect {
            try builder.buildAll(in: notebooks)
        } throws: { error in
            let error = error as? NotebookError
            return error?.line == 3 && error?.message.hasPrefix("unknown label 'fig:nothing'") == true
        }
    }

    @Test func proseImagesAreCopiedNextToThePage() throws {
        let (folder, builder, site) = try makeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebooks = folder.appendingPathComponent("Notebooks")
        let figures = notebooks.appendingPathComponent("figures")
        try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
        try TestSupport.write("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", to: "modes.svg", in: figures)
        try TestSupport.write("A diagram: ![the modes](figures/modes.svg)\n", to: "third.md", in: notebooks)
        _ = try builder.buildAll(in: notebooks)
        let page = try String(contentsOf: site.appendingPathComponent("third.html"), encoding: .utf8)
        #expect(page.contains(#"<img src="third/media/modes.svg" alt="the modes">"#))
        #expect(
            FileManager.default.fileExists(
                atPath: site.appendingPathComponent("third/media/modes.svg").path
            ))

        try TestSupport.write("Text\n\n![gone](figures/missing.png)\n", to: "third.md", in: notebooks)
        #expect {
            try builder.buildAll(in: notebooks)
        } throws: { error in
            (error as? NotebookError)?.message.hasPrefix("image 'figures/missing.png' is not a file") == true
        }
    }

    @Test func buildingOneNotebookRefreshesTheIndex() throws {
        let (folder, builder, site) = try makeProject()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebooks = folder.appendingPathComponent("Notebooks")
        try TestSupport.write("---\ntitle: Third\norder: 0\n---\nHello.\n", to: "third.md", in: notebooks)
        let report = try builder.buildOne(notebooks.appendingPathComponent("third.md"))
        #expect(report.ran == ["third"])
        #expect(Set(report.unbuilt) == ["first", "second"])
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"third.html\""))
        #expect(index.contains("First steps <span class=\"badge\">not built yet</span>"))
    }
}
