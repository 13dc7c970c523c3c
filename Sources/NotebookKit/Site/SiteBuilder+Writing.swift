import Foundation
import NotebookSupport

// MARK: - Writing

extension SiteBuilder {
    /// A notebook ready to render: its numbering and the math of its outputs.
    fileprivate struct Prepared {
        var notebook: Notebook
        var outcome: NotebookRunner.Outcome
        var numbering: Numbering
        var outputMath: OutputMath
        var mathHTML: [String] = []
    }

    /// Where a typesetting request came from, for KaTeX's error messages.
    fileprivate struct MathOwner {
        var notebook: Notebook
        var line: Int
        var column: Int?
        var source: String
    }

    /// Writes the site: the pages of `notebooks` that have outcomes, the previous pages of
    /// `kept`, and every page the site already holds from other builds (other folders of
    /// notebooks), unless its notebook no longer exists. A build never removes a page whose
    /// notebook still exists.
    func writeSite(
        notebooks: [Notebook], outcomes: [String: NotebookRunner.Outcome], kept: [String]
    ) throws {
        let site = configuration.siteDirectory
        let linksExplorer = SiteNavigation.hasExplorer(in: site)
        let (previous, dropped) = previousPages(of: site)
        var entries = previous
        for notebook in notebooks where kept.contains(notebook.name) && entries[notebook.name] == nil {
            entries[notebook.name] = sitePage(for: notebook, sections: [])
        }
        var prepared: [Prepared] = []
        // Numbering, output math and KaTeX are the render step (errors name it); what is left
        // to fail is the site step's, which the callers name.
        try PipelineStage.render.attributing(file: site.path) {
            for notebook in notebooks {
                guard let outcome = outcomes[notebook.name] else { continue }
                let numbering = try Numbering(notebook: notebook, record: outcome.record)
                entries[notebook.name] = sitePage(for: notebook, sections: [])
                prepared.append(
                    Prepared(
                        notebook: notebook, outcome: outcome, numbering: numbering,
                        outputMath: try OutputMath(
                            notebook: notebook, record: outcome.record, targets: numbering.targets)))
            }
            try typeset(&prepared)
        }

        let manager = FileManager.default
        let staging = site.deletingLastPathComponent()
            .appendingPathComponent(".\(site.lastPathComponent).tmp-\(getpid())")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            let pages = SitePage.inOrder(Array(entries.values))
            for item in prepared {
                let rendered = try writePage(
                    item, pages: pages, linksExplorer: linksExplorer, into: staging)
                entries[item.notebook.name]?.sections = rendered.sections
                entries[item.notebook.name]?.descriptionHTML = item.outputMath.render(
                    item.notebook.frontMatter.description, targets: item.numbering.targets)
            }
            let written = Set(prepared.map(\.notebook.name))
            let final = SitePage.inOrder(Array(entries.values))
            try carryOver(
                from: site, into: staging, skipping: written.union(dropped), pages: final,
                linksExplorer: linksExplorer)
            let unbuilt = notebooks.filter { entries[$0.name] == nil }
            let index = indexPage(
                pages: final, unbuilt: unbuilt, introduction: introduction(of: notebooks),
                linksExplorer: linksExplorer)
            try Data(index.utf8).write(to: staging.appendingPathComponent("index.html"))
            try SiteAssets(katexDirectory: configuration.katexDirectory).write(into: staging)
            let assets = staging.appendingPathComponent("assets")
            try SearchIndex(lunrDirectory: configuration.lunrDirectory)
                .write(pages: final, into: assets)
            try SiteManifest(pages: final, siteTitle: configuration.siteTitle).encoded()
                .write(to: SiteManifest.file(in: staging))
            try FileWriting.swapDirectory(staging, into: site)
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    /// The index page's introduction: the `README.md` of the first notebook's folder.
    fileprivate func introduction(of notebooks: [Notebook]) -> String {
        notebooks.first.map { introduction(in: fileURL(of: $0).deletingLastPathComponent()) } ?? ""
    }

    /// The previous site's pages whose notebooks still exist, by name, and the names of those
    /// whose notebooks are gone.
    fileprivate func previousPages(of site: URL) -> ([String: SitePage], Set<String>) {
        var entries: [String: SitePage] = [:]
        var dropped: Set<String> = []
        for page in SiteManifest.load(from: site).pages {
            if FileManager.default.fileExists(atPath: page.source) {
                entries[page.name] = page
            } else {
                dropped.insert(page.name)
                configuration.runner.log(
                    "removing \(page.name).html: its notebook \(page.source) no longer exists")
            }
        }
        return (entries, dropped)
    }

    /// The manifest entry of a notebook's page.
    fileprivate func sitePage(for notebook: Notebook, sections: [SearchSection]) -> SitePage {
        SitePage(
            name: notebook.name, title: notebook.title,
            description: notebook.frontMatter.description, order: notebook.frontMatter.order,
            isInCourse: notebook.frontMatter.isInCourse,
            source: fileURL(of: notebook).standardizedFileURL.path, sections: sections)
    }

    /// Typesets the equations and output math of all pages in one KaTeX process.
    fileprivate func typeset(_ prepared: inout [Prepared]) throws {
        var requests: [Typesetter.Request] = []
        var owners: [MathOwner] = []
        for item in prepared {
            let macros = item.notebook.frontMatter.macros
            for (index, equation) in item.numbering.equations.enumerated() {
                let span = item.notebook.markdown.math[index]
                requests.append(
                    Typesetter.Request(tex: equation.tex, isDisplay: span.isDisplay, macros: macros))
                let delimiter = span.isDisplay ? "$$" : "$"
                owners.append(
                    MathOwner(
                        notebook: item.notebook, line: span.line, column: span.column,
                        source: delimiter + span.tex + delimiter))
            }
            for span in item.outputMath.spans {
                requests.append(Typesetter.Request(tex: span.tex, isDisplay: false, macros: macros))
                owners.append(
                    MathOwner(
                        notebook: item.notebook, line: span.line, column: nil,
                        source: "$\(span.tex)$ (\(span.place))"))
            }
        }
        let start = Date()
        let html: [String]
        do {
            html = try Typesetter().typeset(requests)
        } catch let failure as Typesetter.Failure {
            let owner = owners[failure.index]
            throw NotebookError(
                file: owner.notebook.path, line: owner.line, column: owner.column,
                message: "KaTeX cannot typeset \(owner.source): \(failure.message)")
        }
        configuration.runner.log(
            String(
                format: "typeset %d equations in %.2f s", requests.count,
                Date().timeIntervalSince(start)))
        var offset = 0
        for index in prepared.indices {
            let equations = prepared[index].numbering.equations.count
            prepared[index].mathHTML = Array(html[offset..<(offset + equations)])
            offset += equations
            let spans = prepared[index].outputMath.spans.count
            prepared[index].outputMath.setHTML(html[offset..<(offset + spans)])
            offset += spans
        }
    }

    /// Renders one page with its outputs, images and source into the staging folder; its
    /// sidebar links the unit explorer when `linksExplorer`.
    fileprivate func writePage(
        _ item: Prepared, pages: [SitePage], linksExplorer: Bool, into staging: URL
    ) throws -> RenderedPage {
        let notebook = item.notebook
        let (previous, next) = SiteNavigation.neighbours(of: notebook.name, in: pages)
        var page = PageRenderer(
            notebook: notebook, record: item.outcome.record, numbering: item.numbering,
            mathHTML: item.mathHTML, assetFolder: HTML.urlPath(notebook.name) + "/",
            siteTitle: configuration.siteTitle, previous: previous, next: next
        )
        page.sidebar = SiteNavigation.sidebar(
            pages: pages, current: notebook.name, siteTitle: configuration.siteTitle,
            linksExplorer: linksExplorer)
        page.foldsCodeByDefault = configuration.foldsCodeByDefault
        page.outputMath = item.outputMath
        page.outputDirectory = item.outcome.outputDirectory
        page.imageSources = try copyProseImages(of: notebook, into: staging)
        let rendered = page.render()
        try Data(rendered.html.utf8)
            .write(to: staging.appendingPathComponent("\(notebook.name).html"))
        try copyOutputs(of: notebook, outcome: item.outcome, into: staging)
        try copySource(of: notebook, into: staging)
        return rendered
    }

    /// Copies everything of the previous site that this build does not write: other folders'
    /// pages, kept pages, `README.md`. Skips `index.html`, `assets/`, and the pages (with their
    /// folders) named in `skipping`. Copied pages of `pages` get the current sidebar and links
    /// (the unit explorer's link when `linksExplorer`).
    fileprivate func carryOver(
        from site: URL, into staging: URL, skipping: Set<String>, pages: [SitePage],
        linksExplorer: Bool
    ) throws {
        let manager = FileManager.default
        guard let items = try? manager.contentsOfDirectory(atPath: site.path) else { return }
        for item in items.sorted() where item != "index.html" && item != "assets" {
            let base = item.hasSuffix(".html") ? String(item.dropLast(5)) : item
            guard !skipping.contains(base) else { continue }
            let source = site.appendingPathComponent(item)
            let target = staging.appendingPathComponent(item)
            guard !manager.fileExists(atPath: target.path) else { continue }
            if item.hasSuffix(".html"), let page = pages.first(where: { $0.name == base }),
                let html = try? String(contentsOf: source, encoding: .utf8),
                let refreshed = SiteNavigation.refreshing(
                    html, page: page, pages: pages, siteTitle: configuration.siteTitle,
                    linksExplorer: linksExplorer)
            {
                try Data(refreshed.utf8).write(to: target)
            } else {
                try manager.copyItem(at: source, to: target)
            }
        }
    }

    /// The index page: the introduction, the course's pages in order (never-built notebooks
    /// without a link), then the pages that are not part of the course; the sidebar links the
    /// unit explorer when `linksExplorer`.
    func indexPage(
        pages: [SitePage], unbuilt: [Notebook], introduction: String, linksExplorer: Bool
    ) -> String {
        struct Entry {
            var order: Int?
            var name: String
            var html: String
            var isInCourse: Bool
        }
        var entries = pages.map { page in
            Entry(
                order: page.order, name: page.name,
                html: SiteNavigation.indexEntry(
                    title: page.title, description: page.description,
                    descriptionHTML: page.descriptionHTML, href: page.href),
                isInCourse: page.isInCourse)
        }
        entries += unbuilt.map { notebook in
            Entry(
                order: notebook.frontMatter.order, name: notebook.name,
                html: SiteNavigation.indexEntry(
                    title: notebook.title, description: notebook.frontMatter.description,
                    descriptionHTML: nil, href: nil),
                isInCourse: notebook.frontMatter.isInCourse)
        }
        entries.sort { ($0.order ?? Int.max, $0.name) < ($1.order ?? Int.max, $1.name) }
        let others = entries.filter { !$0.isInCourse }
        let content = Templates.render(
            .indexPage,
            IndexPageContext(
                title: configuration.siteTitle, introductionHTML: introduction,
                entriesHTML: entries.filter(\.isInCourse).map(\.html).joined(),
                otherEntriesHTML: others.isEmpty ? nil : others.map(\.html).joined()))
        return SiteTemplate.page(
            title: configuration.siteTitle,
            sidebar: SiteNavigation.sidebar(
                pages: pages, current: nil, siteTitle: configuration.siteTitle,
                linksExplorer: linksExplorer),
            navigation: "<a href=\"index.html\" aria-current=\"page\">Index</a>",
            content: content
        )
    }
}

/// The index page's content: its title, the introduction (cmark's HTML of `README.md`), and
/// the entries of the course and of the other pages (each rendered by `indexEntry`).
private struct IndexPageContext {
    let title: String
    let introductionHTML: String
    let entriesHTML: String
    let otherEntriesHTML: String?
}
