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

    /// The notebook's file on disk.
    func fileURL(of notebook: Notebook) -> URL {
        Self.fileURL(of: notebook, projectRoot: configuration.runner.projectRoot)
    }

    /// The notebook's file on disk: its path, relative to `projectRoot` unless absolute.
    static func fileURL(of notebook: Notebook, projectRoot: URL) -> URL {
        notebook.path.hasPrefix("/")
            ? URL(fileURLWithPath: notebook.path)
            : projectRoot.appendingPathComponent(notebook.path)
    }

    /// The index page's introduction: the notebook folder's `README.md`, rendered by libcmark
    /// (raw HTML omitted), or nothing.
    func introduction(in folder: URL) -> String {
        let readme = folder.appendingPathComponent("README.md")
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return "" }
        return "<div class=\"intro\">\n" + MarkdownHTML.render(text) + "</div>\n"
    }
}
