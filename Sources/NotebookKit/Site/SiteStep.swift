import Foundation

/// The site step: rendered pages and the pages kept from earlier builds to the site folder,
/// written into a staging folder and swapped in atomically. If anything fails, the old site is
/// untouched and the staging folder is removed.
struct SiteStep: PipelineStep {
    /// What to write.
    struct Input: Sendable {
        /// The pages rendered by this build.
        var rendered: [RenderedNotebook]
        /// The manifest entries of every page the site will list, by name: the previous site's
        /// pages whose notebooks still exist, kept pages, and this build's pages.
        var entries: [String: SitePage]
        /// Pages of the previous site not to carry over (their notebooks are gone).
        var dropped: Set<String>
        /// Notebooks listed on the index without a page.
        var unbuilt: [Notebook]
        /// The index page's introduction (HTML).
        var introduction: String
        /// Whether the sidebars link the unit explorer.
        var linksExplorer: Bool
    }

    /// ``PipelineStage/site``.
    static let stage = PipelineStage.site

    /// The site's configuration: folder, title, KaTeX and lunr folders, project root.
    var configuration: SiteBuilder.Configuration

    /// The site folder.
    func file(of input: Input) -> String { configuration.siteDirectory.path }

    /// Writes the pages, the carried-over pages, the index, assets, search index and manifest
    /// into a staging folder next to the site, then swaps it in.
    func perform(_ input: Input) throws {
        let site = configuration.siteDirectory
        let manager = FileManager.default
        let staging = site.deletingLastPathComponent()
            .appendingPathComponent(".\(site.lastPathComponent).tmp-\(getpid())")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            var entries = input.entries
            for item in input.rendered {
                try write(item, into: staging)
                entries[item.notebook.name]?.sections = item.page.sections
                entries[item.notebook.name]?.descriptionHTML = item.descriptionHTML
            }
            let pages = SitePage.inOrder(Array(entries.values))
            try carryOver(
                from: site, into: staging,
                skipping: Set(input.rendered.map(\.notebook.name)).union(input.dropped), pages: pages,
                linksExplorer: input.linksExplorer)
            try writeIndexAndAssets(input, pages: pages, into: staging)
            try FileWriting.swapDirectory(staging, into: site)
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    /// Writes one page with its prose images, outputs and source.
    private func write(_ item: RenderedNotebook, into staging: URL) throws {
        let notebook = item.notebook
        try copyProseImages(item.images, into: staging)
        try Data(item.page.html.utf8)
            .write(to: staging.appendingPathComponent("\(notebook.name).html"))
        try copyOutputs(of: notebook, outcome: item.outcome, into: staging)
        try copySource(of: notebook, into: staging)
    }

    /// Writes the index page, the assets, the search index and the manifest.
    private func writeIndexAndAssets(_ input: Input, pages: [SitePage], into staging: URL) throws {
        let index = indexPage(
            pages: pages, unbuilt: input.unbuilt, introduction: input.introduction,
            linksExplorer: input.linksExplorer)
        try Data(index.utf8).write(to: staging.appendingPathComponent("index.html"))
        try SiteAssets(katexDirectory: configuration.katexDirectory).write(into: staging)
        let assets = staging.appendingPathComponent("assets")
        try SearchIndex(lunrDirectory: configuration.lunrDirectory)
            .write(pages: pages, into: assets)
        try SiteManifest(pages: pages, siteTitle: configuration.siteTitle).encoded()
            .write(to: SiteManifest.file(in: staging))
    }

    /// Copies everything of the previous site that this build does not write: other folders'
    /// pages, kept pages, `README.md`. Skips `index.html`, `assets/`, and the pages (with their
    /// folders) named in `skipping`. Copied pages of `pages` get the current sidebar and links
    /// (the unit explorer's link when `linksExplorer`).
    private func carryOver(
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
}
