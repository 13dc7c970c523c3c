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
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="assets/katex/katex.min.css">
        <link rel="stylesheet" href="assets/notebook.css">
        <script src="assets/notebook.js"></script>
        <script src="assets/lunr.min.js" defer></script>
        <script src="assets/search-index.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#content">Skip to the content</a>
        <div class="layout">
        \(sidebar)<div class="page">
        <nav class="site" aria-label="Page">
        \(navigation)
        <span class="end"><button type="button" class="theme-toggle" hidden>Dark mode</button></span>
        </nav>
        \(content)<footer>Built by the notebook runner from Markdown; equations typeset with KaTeX.</footer>
        </div>
        </div>
        </body>
        </html>

        """
    }
}

/// The sidebar and the index page's lists, made from the site's pages.
enum SiteNavigation {
    /// The unit explorer's page, written into a site by `notebook serve --export-explorer`.
    static let explorerPage = "explore.html"

    /// The sidebar's list of tools: the link to the unit explorer (the served site's live
    /// script adds the same link only when a page lacks one).
    static let explorerLinks =
        "<ol class=\"tools\">\n<li><a href=\"\(explorerPage)\">Unit explorer</a></li>\n</ol>\n"

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
        var html = "<aside class=\"sidebar\" aria-label=\"Course\">\n"
        html += "<p class=\"site-title\"><a href=\"index.html\">\(HTML.escape(siteTitle))</a></p>\n"
        html += """
            <div class="search" role="search" hidden>
            <input type="search" id="search-input" aria-label="Search all pages" placeholder="Search all pages" autocomplete="off">
            <p class="status" id="search-status" aria-live="polite"></p>
            <ol id="search-results"></ol>
            </div>

            """
        let course = pages.filter(\.isInCourse)
        html += "<details class=\"pages\" open>\n<summary>Course pages (\(course.count))</summary>\n"
        html += "<ol class=\"pages\">\n"
        for page in course {
            let currentAttribute = page.name == current ? " aria-current=\"page\"" : ""
            html +=
                "<li><a href=\"\(HTML.escape(page.href))\"\(currentAttribute)>"
                + "\(HTML.escape(page.title))</a></li>\n"
        }
        html += "</ol>\n</details>\n"
        return html + (linksExplorer ? explorerLinks : "") + "</aside>\n"
    }

    /// The bar above a page's content: the index, the previous and next pages of the course,
    /// and the notebook's Markdown source.
    static func links(previous: PageLink?, next: PageLink?, source: String) -> String {
        var links = ["<a href=\"index.html\">Index</a>"]
        if let previous {
            links.append(
                "<a rel=\"prev\" href=\"\(HTML.escape(previous.href))\">← "
                    + "\(HTML.escape(previous.title))</a>")
        }
        if let next {
            links.append(
                "<a rel=\"next\" href=\"\(HTML.escape(next.href))\">"
                    + "\(HTML.escape(next.title)) →</a>")
        }
        links.append("<a class=\"source\" href=\"\(HTML.escape(source))\">Markdown source</a>")
        return links.joined(separator: "\n")
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

    /// The index page's list entry for one page (a link when it is built).
    static func indexEntry(title: String, descriptionHTML: String, href: String?) -> String {
        let escapedTitle = HTML.escape(title)
        let heading =
            href.map { "<a href=\"\(HTML.escape($0))\">\(escapedTitle)</a>" }
            ?? "\(escapedTitle) <span class=\"badge\">not built yet</span>"
        let text =
            descriptionHTML.isEmpty
            ? "" : "<span class=\"description\">\(descriptionHTML)</span>"
        return "<li><strong>\(heading)</strong>\(text)</li>\n"
    }
}
