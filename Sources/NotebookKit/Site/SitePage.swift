import Foundation

/// A part of a page that search can find: the text under one heading.
struct SearchSection: Codable, Hashable, Sendable {
    /// The heading's `id` (`nil` for the text before the first heading).
    var anchor: String?
    /// The heading's text.
    var title: String?
    /// The section's plain text (prose with math as TeX, captions and table cells).
    var text: String
}

/// One page of a site as recorded in `assets/pages.json`, so that a later build (of the same
/// or another folder of notebooks) can list, link and search it without rebuilding it.
struct SitePage: Codable, Hashable, Sendable {
    /// The page's base name (`x` for `x.html`).
    var name: String
    var title: String
    var description: String
    /// The description as HTML, its math typeset (`nil` in manifests of older builds).
    var descriptionHTML: String?
    /// The position in the course (`order` in the front matter).
    var order: Int?
    /// Whether the page is listed in the sidebar and the previous/next links.
    var isInCourse: Bool
    /// The absolute path of the notebook the page was built from.
    var source: String
    /// The page's text for search.
    var sections: [SearchSection]

    /// The page's file, relative to the site.
    var href: String { HTML.urlPath(name) + ".html" }

    /// Sorts pages by `order` (pages without one last), then by name.
    static func inOrder(_ pages: [SitePage]) -> [SitePage] {
        pages.sorted { ($0.order ?? Int.max, $0.name) < ($1.order ?? Int.max, $1.name) }
    }
}

/// The list of a site's pages, `assets/pages.json`.
struct SiteManifest: Codable, Hashable, Sendable {
    /// Every page, in course order.
    var pages: [SitePage] = []
    /// The site's title (`nil` in manifests of older builds), for refreshing pages later
    /// (``SiteLinks``).
    var siteTitle: String?

    /// The file inside a site.
    static func file(in site: URL) -> URL {
        site.appendingPathComponent("assets").appendingPathComponent("pages.json")
    }

    /// The manifest of an existing site, or an empty one when the site has none (or it cannot
    /// be read: the pages are then kept as files but not listed).
    static func load(from site: URL) -> SiteManifest {
        guard let data = FileManager.default.contents(atPath: file(in: site).path),
            let manifest = try? JSONDecoder().decode(SiteManifest.self, from: data)
        else { return SiteManifest() }
        return manifest
    }

    /// The manifest as deterministic JSON.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
