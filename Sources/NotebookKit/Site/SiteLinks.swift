import Foundation

/// Refreshes the sidebars of a built site in place, for tools that add a page to a site after
/// the build (the static unit explorer): the index and every page listed in `assets/pages.json`
/// get the sidebar a build would give them now, with the "Unit explorer" link exactly when the
/// site holds `explore.html` and `explorer-data/`.
///
/// ```swift
/// let relinked = try SiteLinks.refresh(site: URL(fileURLWithPath: "Site"))
/// print("linked \(relinked.count) pages")
/// ```
public enum SiteLinks {
    /// Whether `site` holds the static unit explorer, so that its pages link it.
    public static func hasExplorer(in site: URL) -> Bool {
        SiteNavigation.hasExplorer(in: site)
    }

    /// Rewrites the sidebar of the index and of every page of the site's manifest (each file
    /// atomically; a file already current is left alone). Pages without the sidebar's markers
    /// (built by an older runner) are left as they are.
    ///
    /// - Returns: The files rewritten, relative to the site (`index.html`, `x.html`, …); empty
    ///   for a folder that is not a built site (no manifest).
    /// - Throws: ``NotebookError`` naming `assets/pages.json` when the manifest predates site
    ///   titles (rebuild the site first), or naming the page that cannot be written.
    public static func refresh(site: URL) throws -> [String] {
        let manifest = SiteManifest.load(from: site)
        guard !manifest.pages.isEmpty else { return [] }
        guard let title = manifest.siteTitle else {
            throw NotebookError(
                file: SiteManifest.file(in: site).path,
                message: "the manifest has no site title (built by an older runner); "
                    + "rebuild the site with `notebook` first, then link its pages")
        }
        let linksExplorer = hasExplorer(in: site)
        var rewritten: [String] = []
        let index = "index.html"
        if try rewrite(
            index, in: site,
            { html in
                SiteNavigation.refreshingSidebar(
                    html, current: nil, pages: manifest.pages, siteTitle: title,
                    linksExplorer: linksExplorer)
            })
        {
            rewritten.append(index)
        }
        for page in manifest.pages {
            let file = "\(page.name).html"
            if try rewrite(
                file, in: site,
                { html in
                    SiteNavigation.refreshing(
                        html, page: page, pages: manifest.pages, siteTitle: title,
                        linksExplorer: linksExplorer)
                })
            {
                rewritten.append(file)
            }
        }
        return rewritten
    }

    /// Replaces `site/name` by `change` of its text, atomically; `false` when the file is
    /// missing, has no markers or is already current.
    private static func rewrite(_ name: String, in site: URL, _ change: (String) -> String?) throws
        -> Bool
    {
        let url = site.appendingPathComponent(name)
        guard let html = try? String(contentsOf: url, encoding: .utf8), let changed = change(html),
            changed != html
        else { return false }
        do {
            try Data(changed.utf8).write(to: url, options: .atomic)
        } catch {
            throw NotebookError(file: url.path, message: "cannot write the page: \(error)")
        }
        return true
    }
}
