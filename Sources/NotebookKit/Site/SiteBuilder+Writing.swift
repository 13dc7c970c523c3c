import Foundation
import NotebookSupport

// MARK: - Writing

extension SiteBuilder {
    /// Renders the notebooks that have outcomes (``RenderStep``) and writes the site
    /// (``SiteStep``): their pages, the previous pages of `kept`, and every page the site already
    /// holds from other builds (other folders of notebooks), unless its notebook no longer
    /// exists. A build never removes a page whose notebook still exists.
    ///
    /// - Throws: ``NotebookError`` naming `render` or `site`; the previous site is then untouched.
    func writeSite(
        notebooks: [Notebook], outcomes: [String: NotebookRunner.Outcome], kept: [String]
    ) throws {
        let site = configuration.siteDirectory
        let linksExplorer = SiteNavigation.hasExplorer(in: site)
        let (previous, dropped) = previousPages(of: site)
        var entries = previous
        for notebook in notebooks where kept.contains(notebook.name) && entries[notebook.name] == nil {
            entries[notebook.name] = sitePage(for: notebook)
        }
        for notebook in notebooks where outcomes[notebook.name] != nil {
            entries[notebook.name] = sitePage(for: notebook)
        }
        let rendered = try RenderStep(configuration: configuration)(
            .init(
                notebooks: notebooks, outcomes: outcomes, pages: SitePage.inOrder(Array(entries.values)),
                linksExplorer: linksExplorer, reportedFile: site.path))
        try SiteStep(configuration: configuration)(
            .init(
                rendered: rendered, entries: entries, dropped: dropped,
                unbuilt: notebooks.filter { entries[$0.name] == nil },
                introduction: introduction(of: notebooks), linksExplorer: linksExplorer))
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

    /// The manifest entry of a notebook's page, before rendering adds its search sections.
    fileprivate func sitePage(for notebook: Notebook) -> SitePage {
        SitePage(
            name: notebook.name, title: notebook.title,
            description: notebook.frontMatter.description, order: notebook.frontMatter.order,
            isInCourse: notebook.frontMatter.isInCourse,
            source: fileURL(of: notebook).standardizedFileURL.path, sections: [])
    }
}
