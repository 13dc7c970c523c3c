import Foundation
import MarkdownAST

/// The images a notebook's prose references by a relative path (relative to the notebook's
/// folder), each with the file it comes from and its place in the site, `<name>/media/<file>`.
///
/// Resolving them is part of rendering (the page links their new paths); copying them is the
/// site step's (``SiteStep``).
struct ProseImages: Sendable {
    /// One image: the file on disk and its path inside the site.
    struct Image: Sendable {
        /// The image file next to the notebook.
        var source: URL
        /// Its path relative to the site, `<name>/media/<file>`.
        var sitePath: String
    }

    /// The images in the order the prose first references them.
    var images: [Image] = []
    /// The new path of each Markdown destination, URL-encoded for the page.
    var sources: [String: String] = [:]

    /// Finds the notebook's images; `folder` is the notebook's folder on disk.
    ///
    /// - Throws: ``NotebookError`` at the image's line when a destination is not a file
    ///   inside `folder`.
    init(of notebook: Notebook, folder: URL) throws {
        var usedNames = Set<String>()
        for node in notebook.document.root.preOrder {
            guard case .image(let destination, _) = node.kind, sources[destination] == nil,
                !destination.isEmpty, !destination.contains(":"), !destination.hasPrefix("/"),
                !destination.hasPrefix("#")
            else { continue }
            let path = destination.removingPercentEncoding ?? destination
            let source = folder.appendingPathComponent(path).standardizedFileURL
            guard !path.split(separator: "/").contains(".."),
                FileManager.default.fileExists(atPath: source.path)
            else {
                throw NotebookError(
                    file: notebook.path, line: node.range.lowerLine > 0 ? node.range.lowerLine : nil,
                    message: "image '\(destination)' is not a file inside the notebook's folder "
                        + "(\(folder.path))"
                )
            }
            let name = Self.unusedName(for: source.lastPathComponent, in: &usedNames)
            let sitePath = "\(notebook.name)/media/\(name)"
            images.append(Image(source: source, sitePath: sitePath))
            sources[destination] = HTML.urlPath(sitePath)
        }
    }

    /// `file`, or `2-file`, `3-file`, … when an earlier image took the name; records it.
    private static func unusedName(for file: String, in usedNames: inout Set<String>) -> String {
        var name = file
        var counter = 2
        while usedNames.contains(name) {
            name = "\(counter)-\(file)"
            counter += 1
        }
        usedNames.insert(name)
        return name
    }
}
