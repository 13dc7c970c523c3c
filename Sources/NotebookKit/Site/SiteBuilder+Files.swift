import Foundation
import MarkdownAST
import NotebookSupport

// MARK: - Files

extension SiteBuilder {
    func displayPath(of url: URL) -> String {
        let root = configuration.runner.projectRoot.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    func parse(_ files: [URL]) throws -> [Notebook] {
        var notebooks: [Notebook] = []
        var errors: [NotebookError] = []
        for file in files {
            do {
                notebooks.append(try ParseStep()(.init(url: file, path: displayPath(of: file))))
            } catch let error as NotebookError {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw NotebookErrors(errors) }
        return notebooks
    }

    func copyOutputs(
        of notebook: Notebook, outcome: NotebookRunner.Outcome, into staging: URL
    ) throws {
        let files = outcome.record.blocks.flatMap(\.items).compactMap(\.figure?.file).sorted()
        guard !files.isEmpty else { return }
        let folder = staging.appendingPathComponent(notebook.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files where !file.contains("/") && !file.hasPrefix(".") {
            let source = outcome.outputDirectory.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw NotebookError(
                    file: notebook.path,
                    message: "stored output file \(source.path) is missing; run again with --force"
                )
            }
            try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(file))
        }
    }

    /// The notebook's file on disk.
    func fileURL(of notebook: Notebook) -> URL {
        notebook.path.hasPrefix("/")
            ? URL(fileURLWithPath: notebook.path)
            : configuration.runner.projectRoot.appendingPathComponent(notebook.path)
    }

    /// Copies the notebook's Markdown next to its outputs, for readers to download.
    func copySource(of notebook: Notebook, into staging: URL) throws {
        let folder = staging.appendingPathComponent(notebook.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: fileURL(of: notebook), to: folder.appendingPathComponent("\(notebook.name).md")
        )
    }

    /// The index page's introduction: the notebook folder's `README.md`, rendered by libcmark
    /// (raw HTML omitted), or nothing.
    func introduction(in folder: URL) -> String {
        let readme = folder.appendingPathComponent("README.md")
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return "" }
        return "<div class=\"intro\">\n" + MarkdownHTML.render(text) + "</div>\n"
    }

    /// Copies images that the prose references by a relative path (relative to the notebook's
    /// folder) into `<name>/media/`, and returns their new paths by Markdown destination.
    func copyProseImages(of notebook: Notebook, into staging: URL) throws -> [String: String] {
        let folder = fileURL(of: notebook).deletingLastPathComponent()
        var sources: [String: String] = [:]
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
            var name = source.lastPathComponent
            var counter = 2
            while usedNames.contains(name) {
                name = "\(counter)-\(source.lastPathComponent)"
                counter += 1
            }
            usedNames.insert(name)
            let media = staging.appendingPathComponent(notebook.name).appendingPathComponent("media")
            try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: media.appendingPathComponent(name))
            sources[destination] = HTML.urlPath("\(notebook.name)/media/\(name)")
        }
        return sources
    }
}
