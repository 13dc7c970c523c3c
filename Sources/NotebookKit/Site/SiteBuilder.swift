import Foundation
import MarkdownAST
import NotebookSupport

/// Builds the static site by chaining the pipeline's steps: parse (``ParseStep``), then the
/// runner's generate → build → run (``NotebookRunner``, or its stored outputs), then render
/// (``RenderStep``) and site (``SiteStep``), which replaces `Site/` atomically.
public struct SiteBuilder: Sendable {
    /// Where and how to build.
    public struct Configuration: Sendable {
        /// The site folder (`Site/`), replaced as a whole at the end of a successful build.
        public var siteDirectory: URL
        /// The title of the index page and of the navigation's first link.
        public var siteTitle: String
        /// Debian's `libjs-katex` folder.
        public var katexDirectory: URL
        /// Debian's `libjs-lunr` folder, for search.
        public var lunrDirectory: URL
        /// Whether code blocks are folded unless the block (`unfold`) or the front matter
        /// (`fold-code: false`) says otherwise.
        public var foldsCodeByDefault: Bool
        /// How notebooks are built and run.
        public var runner: NotebookRunner.Configuration

        /// Creates a configuration; the site goes to `Site/` in the project.
        public init(
            runner: NotebookRunner.Configuration, siteDirectory: URL? = nil,
            siteTitle: String = "Notebooks", foldsCodeByDefault: Bool = false,
            katexDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/katex"),
            lunrDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/lunr")
        ) {
            self.runner = runner
            self.siteDirectory =
                siteDirectory
                ?? runner.projectRoot.appendingPathComponent("Site")
            self.siteTitle = siteTitle
            self.foldsCodeByDefault = foldsCodeByDefault
            self.katexDirectory = katexDirectory
            self.lunrDirectory = lunrDirectory
        }
    }

    /// What a build did.
    public struct Report: Sendable {
        /// Notebooks whose programs were compiled and run.
        public var ran: [String] = []
        /// Notebooks whose stored outputs were reused.
        public var reused: [String] = []
        /// Notebooks whose previous page was kept as it was (single-notebook builds).
        public var kept: [String] = []
        /// Notebooks listed on the index without a page (never built).
        public var unbuilt: [String] = []
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates a builder.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The notebooks of a folder: its `.md` files except `README.md`, sorted by name.
    public static func notebookFiles(in folder: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw NotebookError(file: folder.path, message: "cannot list the notebook folder")
        }
        return names.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    /// The site a folder of notebooks gets by default: `<project>/Site` for the project's
    /// `Notebooks/` folder, `<folder>/Site` for any other folder (a lecturer's own course), so
    /// that building one folder never replaces another folder's site.
    public static func defaultSiteDirectory(forNotebookFolder folder: URL, projectRoot: URL) -> URL {
        let course = projectRoot.appendingPathComponent("Notebooks").standardizedFileURL.path
        if folder.standardizedFileURL.path == course {
            return projectRoot.appendingPathComponent("Site")
        }
        return folder.appendingPathComponent("Site")
    }

    /// Builds every notebook in `folder`. Pages the site already holds from other folders
    /// are kept (see ``writeSite(notebooks:outcomes:kept:)``).
    ///
    /// - Throws: ``NotebookError`` or ``NotebookErrors``; the previous site is then untouched.
    public func buildAll(in folder: URL) throws -> Report {
        let notebooks = try parse(Self.notebookFiles(in: folder))
        let outcomes = try NotebookRunner(configuration: configuration.runner).run(notebooks)
        var report = Report()
        for notebook in notebooks {
            if outcomes[notebook.name]?.isCached == true {
                report.reused.append(notebook.name)
            } else {
                report.ran.append(notebook.name)
            }
        }
        try writeSite(notebooks: notebooks, outcomes: outcomes, kept: [])
        return report
    }

    /// Builds one notebook and refreshes the index and the other pages of its folder.
    ///
    /// Other notebooks are re-rendered from stored outputs whose key is current; otherwise
    /// their previous page is kept, or they are listed without a page.
    public func buildOne(_ file: URL) throws -> Report {
        let target = try ParseStep()(.init(url: file, path: displayPath(of: file)))
        let folder = file.deletingLastPathComponent()
        var notebooks: [Notebook] = []
        for url in try Self.notebookFiles(in: folder) {
            if url.standardizedFileURL.path == file.standardizedFileURL.path {
                notebooks.append(target)
                continue
            }
            do {
                notebooks.append(try ParseStep()(.init(url: url, path: displayPath(of: url))))
            } catch {
                configuration.runner.log(
                    "warning: skipping \(url.lastPathComponent) in the index: \(error)"
                )
            }
        }
        if !notebooks.contains(where: { $0.name == target.name }) { notebooks.append(target) }
        let runner = NotebookRunner(configuration: configuration.runner)
        var outcomes = try runner.run([target])
        var report = Report()
        if outcomes[target.name]?.isCached == true {
            report.reused.append(target.name)
        } else {
            report.ran.append(target.name)
        }
        var kept: [String] = []
        for notebook in notebooks where notebook.name != target.name {
            if let record = runner.storedRecord(for: notebook),
                (try? runner.cacheKey(for: notebook)) == record.cacheKey
            {
                outcomes[notebook.name] = NotebookRunner.Outcome(
                    record: record, outputDirectory: runner.cacheDirectory(for: notebook),
                    isCached: true
                )
                report.reused.append(notebook.name)
            } else if FileManager.default.fileExists(
                atPath: configuration.siteDirectory
                    .appendingPathComponent("\(notebook.name).html").path)
            {
                kept.append(notebook.name)
                report.kept.append(notebook.name)
            } else {
                report.unbuilt.append(notebook.name)
            }
        }
        try writeSite(notebooks: notebooks, outcomes: outcomes, kept: kept)
        return report
    }
}
