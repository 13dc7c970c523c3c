import Foundation

/// The static files every site needs: the stylesheet, the script, KaTeX's CSS and its fonts.
struct SiteAssets {
    /// Debian's `libjs-katex` folder (with `katex.min.css` and `fonts/`).
    var katexDirectory: URL

    /// Writes the assets under `site/assets/`.
    ///
    /// Only the WOFF2 fonts are copied (every browser that renders the site reads them), and
    /// the CSS's WOFF and TrueType fallbacks are removed so that no link points at a missing
    /// file. Symbolic links are followed (Debian's `fonts` folder is one).
    func write(into site: URL) throws {
        let manager = FileManager.default
        let assets = site.appendingPathComponent("assets")
        let katex = assets.appendingPathComponent("katex")
        let fonts = katex.appendingPathComponent("fonts")
        try manager.createDirectory(at: fonts, withIntermediateDirectories: true)
        try Data(Stylesheet.css.utf8).write(to: assets.appendingPathComponent("notebook.css"))
        try Data(SiteScript.javaScript.utf8).write(to: assets.appendingPathComponent("notebook.js"))
        let cssURL = katexDirectory.appendingPathComponent("katex.min.css")
        guard let css = try? String(contentsOf: cssURL, encoding: .utf8) else {
            throw TypesetterError(
                message: "cannot read \(cssURL.path); install Debian's "
                    + "'libjs-katex' package (apt-get install libjs-katex)")
        }
        try Data(Self.keepingWOFF2Only(css).utf8)
            .write(to: katex.appendingPathComponent("katex.min.css"))
        let sourceFonts = katexDirectory.appendingPathComponent("fonts").resolvingSymlinksInPath()
        let names = try manager.contentsOfDirectory(atPath: sourceFonts.path)
            .filter { $0.hasSuffix(".woff2") }
            .sorted()
        for name in names {
            let data = try Data(contentsOf: sourceFonts.appendingPathComponent(name))
            try data.write(to: fonts.appendingPathComponent(name))
        }
    }

    /// Removes `,url(…woff) format('woff')` and `,url(…ttf) format('truetype')` fallbacks.
    static func keepingWOFF2Only(_ css: String) -> String {
        var result = ""
        var rest = css[...]
        while let start = rest.range(of: ",url(") {
            result += rest[..<start.lowerBound]
            let afterURL = rest[start.upperBound...]
            guard let formatRange = afterURL.range(of: "format("),
                let close = afterURL[formatRange.upperBound...].firstIndex(of: ")")
            else {
                result += rest[start.lowerBound...]
                return result
            }
            let format = afterURL[formatRange.upperBound..<close]
            let segmentEnd = afterURL.index(after: close)
            if !(format.contains("woff'") || format.contains("truetype")) {
                result += rest[start.lowerBound..<segmentEnd]
            }
            rest = afterURL[segmentEnd...]
        }
        result += rest
        return result
    }
}
