import Foundation

/// The HTML skeleton shared by every page of the site: the sidebar (search and the course's
/// pages), the top navigation with the theme toggle, the content and the footer.
enum SiteTemplate {
    /// A complete page.
    ///
    /// - Parameters:
    ///   - title: The `<title>`.
    ///   - sidebar: The sidebar's HTML (see
    ///     ``SiteNavigation/sidebar(pages:current:siteTitle:linksExplorer:)``).
    ///   - navigation: Links for the bar above the content (previous, next, source).
    ///   - content: The header, table of contents and `<main>`.
    static func page(title: String, sidebar: String, navigation: String, content: String) -> String {
        Templates.render(
            .page,
            PageContext(title: title, sidebarHTML: sidebar, navigationHTML: navigation, contentHTML: content))
    }

    private struct PageContext {
        let title: String
        let sidebarHTML: String
        let navigationHTML: String
        let contentHTML: String
    }
}

/// The sidebar and the index page's lists, made from the site's pages.
enum SiteNavigation {
    /// The unit explorer's page, written into a site by `notebook serve --export-explorer`.
    static let explorerPage = "explore.html"

    /// The sidebar's list of tools: the link to the unit explorer (the served site's live
    /// script adds the same link only when a page lacks one).
    static let explorerLinks = Templates.render(.explorerLinks, ["explorerPage": explorerPage])

    /// Whether `site` holds the static unit explorer (its page and its data), so that its pages
    /// may link it. A notebook named `explore` has a page of that name but no `explorer-data/`.
    static func hasExplorer(in site: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: site.appendingPathComponent(explorerPage).path)
            && manager.fileExists(atPath: site.appendingPathComponent("explorer-data/index.js").path)
    }

    /// The sidebar: the site's title, the search box (shown by the script), every page of the
    /// course in order, the current one marked, and the unit explorer when `linksExplorer`
    /// (only for a site that holds `explore.html`, see ``hasExplorer(in:)``).
    static func sidebar(pages: [SitePage], current: String?, siteTitle: String, linksExplorer: Bool)
        -> String
    {
        let course = pages.filter(\.isInCourse).map { page in
            SidebarEntry(href: page.href, title: page.title, isCurrent: page.name == current)
        }
        return Templates.render(
            .sidebar,
            SidebarContext(
                siteTitle: siteTitle, count: course.count, pages: course, linksExplorer: linksExplorer,
                explorerPage: explorerPage))
    }

    private struct SidebarEntry {
        let href: String
        let title: String
        let isCurrent: Bool
    }

    private struct SidebarContext {
        let siteTitle: String
        let count: Int
        let pages: [SidebarEntry]
        let linksExplorer: Bool
        let explorerPage: String
    }

    /// The bar above a page's content: the index, the previous and next pages of the course,
    /// and the notebook's Markdown source.
    static func links(previous: PageLink?, next: PageLink?, source: String) -> String {
        Templates.render(.links, LinksContext(previous: previous, next: next, source: source))
    }

    private struct LinksContext {
        let previous: PageLink?
        let next: PageLink?
        let source: String
    }

    /// The previous and next pages of `name` in the course (`nil` outside the course).
    static func neighbours(of name: String, in pages: [SitePage]) -> (PageLink?, PageLink?) {
        let course = pages.filter(\.isInCourse)
        guard let position = course.firstIndex(where: { $0.name == name }) else { return (nil, nil) }
        let link = { (page: SitePage) in PageLink(title: page.title, href: page.href) }
        return (
            position > 0 ? link(course[position - 1]) : nil,
            position + 1 < course.count ? link(course[position + 1]) : nil
        )
    }

    /// A page built earlier with its sidebar and its bar of links replaced by current ones, so
    /// that pages a build does not render still list every page; `nil` when the page lacks
    /// the markers (built by an older runner).
    static func refreshing(
        _ html: String, page: SitePage, pages: [SitePage], siteTitle: String, linksExplorer: Bool
    ) -> String? {
        guard let navStart = html.range(of: "<nav class=\"site\" aria-label=\"Page\">\n"),
            let navEnd = html.range(of: "\n<span class=\"end\">", range: navStart.upperBound..<html.endIndex)
        else { return nil }
        let (previous, next) = neighbours(of: page.name, in: pages)
        let source = HTML.urlPath(page.name) + "/" + HTML.urlPath(page.name) + ".md"
        var result = html
        result.replaceSubrange(
            navStart.upperBound..<navEnd.lowerBound,
            with: links(previous: previous, next: next, source: source))
        return refreshingSidebar(
            result, current: page.name, pages: pages, siteTitle: siteTitle, linksExplorer: linksExplorer)
    }

    /// A page built earlier (a notebook's page or the index, `current` `nil`) with its sidebar
    /// replaced by the current one; `nil` when the page lacks the sidebar before the bar of
    /// links (built by an older runner).
    static func refreshingSidebar(
        _ html: String, current: String?, pages: [SitePage], siteTitle: String, linksExplorer: Bool
    ) -> String? {
        guard let asideStart = html.range(of: "<aside class=\"sidebar\""),
            let asideEnd = html.range(of: "</aside>\n", range: asideStart.upperBound..<html.endIndex),
            let navStart = html.range(of: "<nav class=\"site\" aria-label=\"Page\">\n"),
            asideEnd.upperBound <= navStart.lowerBound
        else { return nil }
        var result = html
        result.replaceSubrange(
            asideStart.lowerBound..<asideEnd.upperBound,
            with: sidebar(pages: pages, current: current, siteTitle: siteTitle, linksExplorer: linksExplorer))
        return result
    }

    /// The index page's list entry for one page (a link when it is built): its description
    /// as typeset HTML when the page has it, else as text.
    static func indexEntry(title: String, description: String, descriptionHTML: String?, href: String?)
        -> String
    {
        let html = descriptionHTML.flatMap { $0.isEmpty ? nil : $0 }
        let text = descriptionHTML == nil && !description.isEmpty ? description : nil
        return Templates.render(
            .indexEntry, IndexEntryContext(title: title, href: href, descriptionHTML: html, description: text)
        )
    }

    private struct IndexEntryContext {
        let title: String
        let href: String?
        /// The description with its math typeset.
        let descriptionHTML: String?
        let description: String?
    }
}
