import Foundation
import NotebookSupport
import Testing

@testable import NotebookKit

/// The teaching features of the site: folding, callouts, paper equation tags, math in
/// outputs, the sidebar, search, dark mode and print.
@Suite("Site features")
struct SiteFeatureTests {
    /// A project folder with a site folder and a builder; nothing here compiles.
    private func makeBuilder(foldsCode: Bool = false) throws -> (folder: URL, builder: SiteBuilder, site: URL)
    {
        let folder = try TestSupport.makeTemporaryDirectory()
        let site = folder.appendingPathComponent("Site")
        let runner = NotebookRunner.Configuration(
            projectRoot: TestSupport.repositoryRoot, workDirectory: folder.appendingPathComponent("work"),
            importableModules: TestSupport.projectModules)
        let builder = SiteBuilder(
            configuration: .init(runner: runner, siteDirectory: site, foldsCodeByDefault: foldsCode))
        return (folder, builder, site)
    }

    /// Writes a notebook into `folder/Notebooks` (created when missing).
    @discardableResult
    private func notebook(_ text: String, named name: String, in folder: URL) throws -> URL {
        let notebooks = folder.appendingPathComponent("Notebooks")
        try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
        return try TestSupport.write(text, to: name, in: notebooks)
    }

    private func read(_ name: String, in site: URL) throws -> String {
        try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8)
    }

    // MARK: Folding

    @Test func foldOptionsParseAndConflict() throws {
        let source = "```swift fold\nlet a = 1\n```\n\n```swift unfold\nlet b = 2\n```\n\n```swift\n```\n"
        let parsed = try Notebook(source: source, path: "n.md")
        #expect(parsed.cells.map(\.options.foldsCode) == [true, false, nil])
        #expect(throws: NotebookError.self) {
            try Notebook(source: "```swift fold unfold\nlet a = 1\n```\n", path: "n.md")
        }
    }

    @Test func codeFoldsByBlockPageAndSiteDefault() throws {
        let source = """
            ---
            fold-code: false
            ---
            ```swift no-run fold
            let folded = 1
            ```

            ```swift no-run
            let open = 2
            ```
            """
        let (folder, builder, site) = try makeBuilder(foldsCode: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try notebook(source, named: "page.md", in: folder)
        try notebook(
            "```swift no-run\nlet x = 1\n```\n\n```swift no-run unfold\nlet y = 2\n```\n", named: "site.md",
            in: folder)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        let page = try read("page.html", in: site)
        // The block's `fold` wins over the page's `fold-code: false`, which wins over the site.
        #expect(page.contains("<details class=\"code\"><summary>Swift code, 1 line (not run)</summary>"))
        #expect(page.contains("<details class=\"code\" open><summary>Swift code, 1 line (not run)"))
        let defaults = try read("site.html", in: site)
        let closed = defaults.components(separatedBy: "<details class=\"code\">").count - 1
        let open = defaults.components(separatedBy: "<details class=\"code\" open>").count - 1
        #expect(closed == 1 && open == 1)
    }

    // MARK: Callouts

    @Test func calloutsOfEveryKind() throws {
        let source = """
            > [!OBJECTIVE]
            > Read $x_b$.

            > [!NOTE] A titled note
            > Body *text*.

            > [!WARNING]-
            > Folded warning.

            > [!EXERCISE]
            > Do it.

            > [!SOLUTION]
            > Done.

            > [!SOLUTION]+ Shown solution
            > Open.

            > [!UNKNOWN]
            > A plain quote.
            """
        let (folder, builder, site) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try notebook(source, named: "c.md", in: folder)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        let page = try read("c.html", in: site)
        #expect(
            page.contains(
                "<div class=\"callout objective\" role=\"note\">\n<p class=\"callout-title\">Objectives</p>\n<p>Read <span class=\"katex\">"
            ))
        #expect(page.contains("<p class=\"callout-title\">A titled note</p>\n<p>Body <em>text</em>.</p>"))
        #expect(
            page.contains(
                "<details class=\"callout warning\">\n<summary>Warning</summary>\n<p>Folded warning.</p>"))
        #expect(
            page.contains(
                "<div class=\"callout exercise\" role=\"note\">\n<p class=\"callout-title\">Exercise</p>"))
        #expect(
            page.contains("<details class=\"callout solution\">\n<summary>Solution</summary>\n<p>Done.</p>"))
        #expect(
            page.contains(
                "<div class=\"callout solution\" role=\"note\">\n<p class=\"callout-title\">Shown solution</p>"
            ))
        #expect(page.contains("<blockquote>\n<p>[!UNKNOWN]\nA plain quote.</p>"))
    }

    // MARK: Equations

    @Test func paperTagsAndReferences() throws {
        let source = #"""
            $$a = b \label{eq:split} \paper{8}$$

            $$c = d$$

            See \eqref{eq:split} and \ref{eq:split}.
            """#
        let (folder, builder, site) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try notebook(source, named: "e.md", in: folder)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        let page = try read("e.html", in: site)
        #expect(page.contains(#"\tag*{(1)\quad[paper Eq.~8]}"#))
        #expect(page.contains(#"\tag{2}"#))
        #expect(page.contains(##"<a class="ref" href="#eq-split">(1) [paper Eq. 8]</a>"##))
        #expect(page.contains(##"<a class="ref" href="#eq-split">Equation (1) [paper Eq. 8]</a>"##))
        #expect {
            try Notebook(source: "text\n\n$$a \\paper{3} \\notag$$\n", path: "x.md")
                .prepareNumbering()
        } throws: { error in
            (error as? NotebookError)?.line == 3
                && (error as? NotebookError)?.message.contains("without a number") == true
        }
    }

    // MARK: Outputs

    @Test func mathInCaptionsHeadersAndCellsAndInlineCharts() throws {
        let (folder, builder, site) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = "$$a \\label{eq:a}$$\n\n```swift\nshow(1)\n```\n\n```swift\nshow(2)\n```\n"
        let file = try notebook(source, named: "t.md", in: folder)
        let parsed = try Notebook(contentsOf: file)
        let outputs = folder.appendingPathComponent("outputs")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        try TestSupport.write(
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\">"
                + "<text>axis</text></svg>\n", to: "chart-1.svg", in: outputs)
        let table = OutputItem.table(
            Table(
                columns: ["layer", "$\\langle x|H^I\\rangle$"],
                rows: [["RM0 $x_b$", "-1.89e-15"], ["a -1.5e-3 b", "7.10"]]),
            caption: .init("Split of $c$, see \\eqref{eq:a}.", label: "tab:split"))
        let chart = OutputItem.chart(.init(file: "chart-1.svg", caption: .init("Errors of $H^b$.")))
        let record = RunRecord(
            cacheKey: "test", blocks: [.init(items: [table]), .init(items: [chart])])
        try builder.writeSite(
            notebooks: [parsed],
            outcomes: [
                "t": NotebookRunner.Outcome(record: record, outputDirectory: outputs, isCached: true)
            ], kept: [])
        let page = try read("t.html", in: site)
        let caption = try #require(
            page.range(of: "<figcaption><span class=\"caption-number\">Table 1.</span>"))
        #expect(page[caption.upperBound...].hasPrefix(" Split of <span class=\"katex\">"))
        #expect(page.contains("<a class=\"ref\" href=\"#eq-a\">(1)</a>.</figcaption>"))
        #expect(page.contains("<th scope=\"col\" class=\"number\"><span class=\"katex\">"))
        #expect(page.contains("<td>RM0 <span class=\"katex\">"))
        #expect(page.contains("<td class=\"number\"><span class=\"nowrap\">-1.89e-15</span></td>"))
        #expect(page.contains("<td>a <span class=\"nowrap\">-1.5e-3</span> b</td>"))
        #expect(!page.contains("$\\langle") && !page.contains("$c$"))
        #expect(
            page.contains(
                "<figure class=\"chart\" id=\"figure-1\">\n<svg role=\"img\" aria-label=\"Errors of H^b.\" xmlns="
            ))
        #expect(!page.contains("<?xml"))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("t/chart-1.svg").path))
    }

    @Test func badMathInAnOutputNamesTheBlock() throws {
        let (folder, builder, site) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try notebook("Text.\n\n```swift\nshow(1)\n```\n", named: "bad.md", in: folder)
        let parsed = try Notebook(contentsOf: file, path: "Notebooks/bad.md")
        let table = OutputItem.table(
            Table(columns: ["x"], rows: [["1"]]), caption: .init("Bad $\\frac{1}{$."))
        let record = RunRecord(cacheKey: "test", blocks: [.init(items: [table])])
        #expect {
            try builder.writeSite(
                notebooks: [parsed],
                outcomes: [
                    "bad": NotebookRunner.Outcome(record: record, outputDirectory: folder, isCached: true)
                ], kept: [])
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.file == "Notebooks/bad.md" && error.line == 3
                && error.message.hasPrefix("KaTeX cannot typeset $\\frac{1}{$ (in an output of this block)")
        }
        #expect(!FileManager.default.fileExists(atPath: site.path))
    }

    @Test func numericCellsAreRecognised() {
        for cell in ["1.5", "-1.89e-15", "−3", "85.08%", "2×", " 7 "] {
            #expect(TableCell(reading: cell).isNumber, "\(cell)")
        }
        for cell in ["RM0", "", "1.5 ± 0.2", "e"] {
            #expect(!TableCell(reading: cell).isNumber, "\(cell)")
        }
    }

    // MARK: Navigation

    @Test func sidebarListsTheCourseAndLeavesOutOtherPages() throws {
        let (folder, builder, site) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try notebook("---\ntitle: Two\norder: 2\n---\nB.\n", named: "b.md", in: folder)
        try notebook(
            "---\ntitle: One\norder: 1\ndescription: The split $x_b$ costs $5.\n---\nA.\n", named: "a.md",
            in: folder)
        try notebook("---\ntitle: Demo\norder: 0\ncourse: false\n---\nD.\n", named: "demo.md", in: folder)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        let first = try read("a.html", in: site)
        let sidebar = try #require(first.range(of: "<ol class=\"pages\">"))
        let list = first[sidebar.upperBound...]
        #expect(
            list.contains(
                "<li><a href=\"a.html\" aria-current=\"page\">One</a></li>\n<li><a href=\"b.html\">Two</a></li>\n</ol>"
            ))
        #expect(first.contains("<summary>Course pages (2)</summary>"))
        #expect(!first.contains("href=\"demo.html\""))
        #expect(first.contains("<a rel=\"next\" href=\"b.html\">"))
        #expect(!first.contains("rel=\"prev\""))
        let demo = try read("demo.html", in: site)
        #expect(!demo.contains("rel=\"next\"") && !demo.contains("rel=\"prev\""))
        let index = try read("index.html", in: site)
        let other = try #require(index.range(of: "<h2 id=\"other-pages\">Other pages</h2>"))
        #expect(index[other.upperBound...].contains("href=\"demo.html\""))
        #expect(!index[..<other.lowerBound].contains("href=\"demo.html\""))
        // Descriptions are typeset like the prose, on the page and on the index.
        #expect(first.contains("<p class=\"description\">The split <span class=\"katex\">"))
        #expect(index.contains("<span class=\"description\">The split <span class=\"katex\">"))
        #expect(index.contains("</span> costs $5.</span>"))
    }

    // MARK: Search

    @Test func searchIndexFindsTheOnlyPageWithATerm() throws {
        let (folder, builder, site) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try notebook(
            "---\ntitle: Alpha\n---\nIntro.\n\n## Fixup networks\n\nThe quokka sits.\n", named: "alpha.md",
            in: folder)
        try notebook(
            "---\ntitle: Beta\n---\nA receptive field, $$x \\paper{16}$$\n", named: "beta.md", in: folder)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        let script = try read("assets/search-index.js", in: site)
        #expect(script.hasPrefix("window.notebookSearch = {\"documents\": {"))
        #expect(
            FileManager.default.fileExists(atPath: site.appendingPathComponent("assets/lunr.min.js").path))
        let query = """
            global.window = {}; eval(require('fs').readFileSync(process.argv[1], 'utf8'));
            const lunr = require('/usr/share/javascript/lunr/lunr.js');
            const index = lunr.Index.load(window.notebookSearch.index);
            process.stdout.write(JSON.stringify(['quokka', 'fixup', '+eq +16', '+receptive +field']
              .map((q) => index.search(q).map((r) => r.ref))));
            """
        let node = try #require(Subprocess.find("node"))
        let result = try Subprocess(
            executable: node,
            arguments: ["-e", query, site.appendingPathComponent("assets/search-index.js").path]
        ).run()
        let found = try JSONDecoder().decode([[String]].self, from: result.output)
        #expect(
            found == [
                ["alpha.html#fixup-networks"], ["alpha.html#fixup-networks"], ["beta.html"], ["beta.html"],
            ])
    }

    @Test func searchTitlesShowMathReadably() {
        #expect(ReadableTeX.text(#"\mathbf{x}_b"#) == "x_b")
        #expect(ReadableTeX.text(#"\langle \mathbf{x} \mid \mathbf{H}^I \rangle"#) == "⟨ x | H^I ⟩")
        #expect(ReadableTeX.text(#"\varepsilon \le 10^{-4}"#) == "ε ≤ 10^-4")
    }

    // MARK: Themes and print

    @Test func darkThemeDefinesEveryColourAndPrintMakesAHandout() throws {
        func names(_ block: String) -> Set<String> {
            Set(
                block.split(separator: ";").compactMap { part in
                    let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
                    return trimmed.hasPrefix("--")
                        ? trimmed.split(separator: ":").first.map(String.init) : nil
                })
        }
        #expect(names(Stylesheet.lightColours).count >= 20)
        #expect(names(Stylesheet.lightColours) == names(Stylesheet.darkColours))
        let css = Stylesheet.css
        #expect(css.contains(":root[data-theme=\"dark\"] {"))
        #expect(css.contains("@media (prefers-color-scheme: dark) { :root:not([data-theme=\"light\"])"))
        // Charts take the page's colours; pictures drawn into an SVG keep their light backdrop.
        #expect(css.contains("figure.chart svg:not(:has(image)) text { fill: var(--text); }"))
        let printStart = try #require(css.range(of: "@media print {"))
        let printRules = css[printStart.upperBound...]
        #expect(printRules.contains(".sidebar, nav.site, footer, .skip, button { display: none; }"))
        #expect(printRules.contains("details.code > pre { display: none; }"))
        #expect(printRules.contains(".cell, figure, table, .callout { break-inside: avoid; }"))
        #expect(SiteScript.javaScript.contains("localStorage.setItem(key, next)"))
        #expect(SiteScript.javaScript.contains("prefers-color-scheme: dark"))
    }

    // MARK: Issue 11 faults

    @Test func notebooksOutsideTheProjectUseThePackageTheCommandRunsIn() throws {
        let elsewhere = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let file = try TestSupport.write("Hello.\n", to: "x.md", in: elsewhere)
        let root = ProjectLocator.projectRoot(
            for: file, isDirectory: false, currentDirectory: TestSupport.repositoryRoot)
        #expect(root?.path == TestSupport.repositoryRoot.standardizedFileURL.path)
        #expect(
            ProjectLocator.projectRoot(for: elsewhere, isDirectory: true, currentDirectory: elsewhere)
                == nil)
        let inside = TestSupport.repositoryRoot.appendingPathComponent("Notebooks/example.md")
        #expect(
            ProjectLocator.projectRoot(for: inside, isDirectory: false, currentDirectory: elsewhere)?
                .path == TestSupport.repositoryRoot.standardizedFileURL.path)
    }

    @Test func eachFolderGetsItsOwnSiteAndBuildsKeepOtherPages() throws {
        let project = TestSupport.repositoryRoot
        #expect(
            SiteBuilder.defaultSiteDirectory(
                forNotebookFolder: project.appendingPathComponent("Notebooks"), projectRoot: project
            ).path == project.appendingPathComponent("Site").path)
        let lecturer = URL(fileURLWithPath: "/tmp/course")
        #expect(
            SiteBuilder.defaultSiteDirectory(forNotebookFolder: lecturer, projectRoot: project).path
                == "/tmp/course/Site")

        let (folder, builder, site) = try makeBuilder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try notebook("---\ntitle: Course page\norder: 1\n---\nA.\n", named: "course.md", in: folder)
        let other = folder.appendingPathComponent("Other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let extra = try TestSupport.write("---\ntitle: Extra\norder: 2\n---\nB.\n", to: "extra.md", in: other)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        _ = try builder.buildAll(in: other)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("course.html").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("course/course.md").path))
        let index = try read("index.html", in: site)
        #expect(index.contains("href=\"course.html\"") && index.contains("href=\"extra.html\""))
        let extraPage = try read("extra.html", in: site)
        #expect(extraPage.contains("<a rel=\"prev\" href=\"course.html\">"))
        // The page that was not rebuilt now lists and links the new one.
        let coursePage = try read("course.html", in: site)
        #expect(coursePage.contains("<li><a href=\"extra.html\">Extra</a></li>"))
        #expect(coursePage.contains("<a rel=\"next\" href=\"extra.html\">"))

        // A page whose notebook was deleted goes; the others stay.
        try FileManager.default.removeItem(at: extra)
        try notebook("---\ntitle: Course page\norder: 1\n---\nA again.\n", named: "course.md", in: folder)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("extra.html").path))
        #expect(try read("course.html", in: site).contains("A again."))
    }
}

extension Notebook {
    /// Numbers the notebook's equations (without outputs), for tests of numbering errors.
    fileprivate func prepareNumbering() throws {
        _ = try Numbering(notebook: self, record: nil)
    }
}
