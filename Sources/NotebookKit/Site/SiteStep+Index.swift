import Foundation

extension SiteStep {
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
