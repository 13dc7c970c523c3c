import Foundation

/// The site's full-text search: a Lunr index over every section of every page, built with
/// Node.js when the site is built and shipped as `assets/search-index.js` (a script, not JSON,
/// so that it loads from `file://`, where `fetch` is refused).
struct SearchIndex {
    /// Debian's `libjs-lunr` folder (`lunr.js` for Node.js, `lunr.min.js` for the pages).
    var lunrDirectory: URL
    /// The `node` executable (found on `PATH` when `nil`).
    var node: String? = Subprocess.find("node") ?? Subprocess.find("nodejs")

    /// One searchable document: a section of a page.
    struct Document: Hashable, Sendable {
        /// The link target, e.g. `x.html#a-section`.
        var id: String
        var page: String
        var section: String?
        var body: String
    }

    /// The documents of `pages`, one per section.
    static func documents(of pages: [SitePage]) -> [Document] {
        pages.flatMap { page in
            page.sections.map { section in
                Document(
                    id: page.href + (section.anchor.map { "#" + $0 } ?? ""), page: page.title,
                    section: section.title, body: section.text)
            }
        }
    }

    /// Writes `lunr.min.js` and `search-index.js` into `assets`.
    ///
    /// - Throws: ``TypesetterError`` naming the missing package when Lunr or Node.js is missing
    ///   or the index cannot be built.
    func write(pages: [SitePage], into assets: URL) throws {
        let minified = lunrDirectory.appendingPathComponent("lunr.min.js")
        let module = lunrDirectory.appendingPathComponent("lunr.js")
        guard let script = FileManager.default.contents(atPath: minified.path),
            FileManager.default.fileExists(atPath: module.path)
        else {
            throw TypesetterError(
                message: "cannot read \(minified.path) and lunr.js; install Debian's "
                    + "'libjs-lunr' package (apt-get install libjs-lunr)")
        }
        try script.write(to: assets.appendingPathComponent("lunr.min.js"))
        let documents = Self.documents(of: pages)
        let index = try buildIndex(documents, module: module)
        var table: [String: [String: String]] = [:]
        for document in documents {
            var entry = ["page": document.page]
            if let section = document.section { entry["section"] = section }
            table[document.id] = entry
        }
        let tableJSON = try JSONSerialization.data(
            withJSONObject: table, options: [.sortedKeys, .withoutEscapingSlashes])
        var output = Data("window.notebookSearch = {\"documents\": ".utf8)
        output += tableJSON
        output += Data(", \"index\": ".utf8)
        output += index
        output += Data("};\n".utf8)
        try output.write(to: assets.appendingPathComponent("search-index.js"))
    }

    /// Runs Lunr in Node.js over the documents and returns the serialised index.
    private func buildIndex(_ documents: [Document], module: URL) throws -> Data {
        guard let node else {
            throw TypesetterError(
                message: "'node' is not on PATH; install Debian's 'nodejs' package")
        }
        let payload = documents.map { document in
            ["id": document.id, "title": document.section ?? document.page, "body": document.body]
        }
        let input = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("notebook-lunr-\(getpid())-\(UUID().uuidString).json")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Subprocess(
            executable: node, arguments: ["-e", SiteScript.indexBuilder, file.path, module.path],
            environment: [:], timeout: 120, mergesStandardError: false
        ).run()
        guard result.isSuccess, !result.output.isEmpty else {
            let message = String(decoding: result.errorOutput, as: UTF8.self)
            throw TypesetterError(
                message: "Lunr (node) could not build the search index: "
                    + message.split(separator: "\n").prefix(5).joined(separator: "\n"))
        }
        return result.output
    }
}
