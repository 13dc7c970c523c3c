import Foundation
import MarkdownAST
import NotebookSupport

/// Builds the static site: runs notebooks (or reuses their stored outputs), typesets their
/// math, renders one page per notebook and an index, and replaces `Site/` atomically.
public struct SiteBuilder: Sendable {
    /// Where and how to build.
    public struct Configuration: Sendable {
        /// The site folder (`Site/`), replaced as a whole at the end of a successful build.
        public var siteDirectory: URL
        /// The title of the index page and of the navigation's first link.
        public var siteTitle: String
        /// Debian's `libjs-katex` folder.
        public var katexDirectory: URL
        /// How notebooks are built and run.
        public var runner: NotebookRunner.Configuration

        /// Creates a configuration; the site goes to `Site/` in the project.
        public init(
            runner: NotebookRunner.Configuration, siteDirectory: URL? = nil,
            siteTitle: String = "Notebooks",
            katexDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/katex")
        ) {
            self.runner = runner
            self.siteDirectory =
                siteDirectory
                ?? runner.projectRoot.appendingPathComponent("Site")
            self.siteTitle = siteTitle
            self.katexDirectory = katexDirectory
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

    /// Builds every notebook in `folder`; the site then holds exactly these notebooks.
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
        let target = try Notebook(contentsOf: file, path: displayPath(of: file))
        let folder = file.deletingLastPathComponent()
        var notebooks: [Notebook] = []
        for url in try Self.notebookFiles(in: folder) {
            if url.standardizedFileURL.path == file.standardizedFileURL.path {
                notebooks.append(target)
                continue
            }
            do {
                notebooks.append(try Notebook(contentsOf: url, path: displayPath(of: url)))
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

// MARK: - Writing

extension SiteBuilder {
    fileprivate func displayPath(of url: URL) -> String {
        let root = configuration.runner.projectRoot.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    fileprivate func parse(_ files: [URL]) throws -> [Notebook] {
        var notebooks: [Notebook] = []
        var errors: [NotebookError] = []
        for file in files {
            do {
                notebooks.append(try Notebook(contentsOf: file, path: displayPath(of: file)))
            } catch let error as NotebookError {
                errors.append(error)
            }
        }
        if !errors.isEmpty { throw NotebookErrors(errors) }
        return notebooks
    }

    fileprivate func writeSite(
        notebooks: [Notebook], outcomes: [String: NotebookRunner.Outcome], kept: [String]
    ) throws {
        let ordered = notebooks.sorted {
            ($0.frontMatter.order ?? Int.max, $0.name) < ($1.frontMatter.order ?? Int.max, $1.name)
        }
        let rendered = ordered.filter { outcomes[$0.name] != nil }
        let linked = ordered.filter { outcomes[$0.name] != nil || kept.contains($0.name) }

        // Number everything, then typeset all equations of all pages in one KaTeX process.
        var numberings: [String: Numbering] = [:]
        var requests: [Typesetter.Request] = []
        var owners: [(notebook: Notebook, span: Int)] = []
        for notebook in rendered {
            let numbering = try Numbering(notebook: notebook, record: outcomes[notebook.name]?.record)
            numberings[notebook.name] = numbering
            for (index, equation) in numbering.equations.enumerated() {
                requests.append(
                    Typesetter.Request(
                        tex: equation.tex, isDisplay: notebook.markdown.math[index].isDisplay,
                        macros: notebook.frontMatter.macros
                    ))
                owners.append((notebook, index))
            }
        }
        let html: [String]
        let typesetStart = Date()
        do {
            html = try Typesetter().typeset(requests)
            configuration.runner.log(
                String(
                    format: "typeset %d equations in %.2f s", requests.count,
                    Date().timeIntervalSince(typesetStart)
                ))
        } catch let failure as Typesetter.Failure {
            let (notebook, index) = owners[failure.index]
            let span = notebook.markdown.math[index]
            throw NotebookError(
                file: notebook.path, line: span.line, column: span.column,
                message: "KaTeX cannot typeset \(span.isDisplay ? "$$" : "$")"
                    + "\(span.tex)\(span.isDisplay ? "$$" : "$"): \(failure.message)"
            )
        }

        let manager = FileManager.default
        let site = configuration.siteDirectory
        let staging = site.deletingLastPathComponent()
            .appendingPathComponent(".\(site.lastPathComponent).tmp-\(getpid())")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            var offset = 0
            for notebook in rendered {
                guard let outcome = outcomes[notebook.name], let numbering = numberings[notebook.name]
                else { continue }
                let count = numbering.equations.count
                let position = linked.firstIndex { $0.name == notebook.name } ?? 0
                var page = PageRenderer(
                    notebook: notebook, record: outcome.record, numbering: numbering,
                    mathHTML: Array(html[offset..<(offset + count)]),
                    assetFolder: HTML.urlPath(notebook.name) + "/",
                    siteTitle: configuration.siteTitle,
                    previous: position > 0 ? link(to: linked[position - 1]) : nil,
                    next: position + 1 < linked.count ? link(to: linked[position + 1]) : nil
                )
                offset += count
                page.imageSources = try copyProseImages(of: notebook, into: staging)
                try Data(page.render().utf8)
                    .write(to: staging.appendingPathComponent("\(notebook.name).html"))
                try copyOutputs(of: notebook, outcome: outcome, into: staging)
                try copySource(of: notebook, into: staging)
            }
            for name in kept {
                for item in ["\(name).html", name] {
                    let source = site.appendingPathComponent(item)
                    if manager.fileExists(atPath: source.path) {
                        try manager.copyItem(at: source, to: staging.appendingPathComponent(item))
                    }
                }
            }
            let intro =
                ordered.first.map {
                    introduction(in: fileURL(of: $0).deletingLastPathComponent())
                } ?? ""
            let index = indexPage(
                ordered: ordered, linked: Set(linked.map(\.name)), introduction: intro
            )
            try Data(index.utf8).write(to: staging.appendingPathComponent("index.html"))
            try SiteAssets(katexDirectory: configuration.katexDirectory).write(into: staging)
            let readme = site.appendingPathComponent("README.md")
            if manager.fileExists(atPath: readme.path) {
                try manager.copyItem(at: readme, to: staging.appendingPathComponent("README.md"))
            }
            try FileWriting.swapDirectory(staging, into: site)
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    fileprivate func link(to notebook: Notebook) -> PageLink {
        PageLink(title: notebook.title, href: HTML.urlPath(notebook.name) + ".html")
    }

    fileprivate func copyOutputs(
        of notebook: Notebook, outcome: NotebookRunner.Outcome, into staging: URL
    ) throws {
        let files = outcome.record.blocks.flatMap(\.items).compactMap(\.file).sorted()
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
    fileprivate func fileURL(of notebook: Notebook) -> URL {
        notebook.path.hasPrefix("/")
            ? URL(fileURLWithPath: notebook.path)
            : configuration.runner.projectRoot.appendingPathComponent(notebook.path)
    }

    /// Copies the notebook's Markdown next to its outputs, for readers to download.
    fileprivate func copySource(of notebook: Notebook, into staging: URL) throws {
        let folder = staging.appendingPathComponent(notebook.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: fileURL(of: notebook), to: folder.appendingPathComponent("\(notebook.name).md")
        )
    }

    /// The index page's introduction: the notebook folder's `README.md`, rendered by libcmark
    /// (raw HTML omitted), or nothing.
    fileprivate func introduction(in folder: URL) -> String {
        let readme = folder.appendingPathComponent("README.md")
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return "" }
        return "<div class=\"intro\">\n" + MarkdownHTML.render(text) + "</div>\n"
    }

    /// Copies images that the prose references by a relative path (relative to the notebook's
    /// folder) into `<name>/media/`, and returns their new paths by Markdown destination.
    fileprivate func copyProseImages(of notebook: Notebook, into staging: URL) throws -> [String: String] {
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

    fileprivate func indexPage(ordered: [Notebook], linked: Set<String>, introduction: String) -> String {
        var list = introduction + "<ul class=\"notebooks\">\n"
        for notebook in ordered {
            let title = HTML.escape(notebook.title)
            let heading =
                linked.contains(notebook.name)
                ? "<a href=\"\(HTML.escape(HTML.urlPath(notebook.name))).html\">\(title)</a>"
                : "\(title) <span class=\"badge\">not built yet</span>"
            let description =
                notebook.frontMatter.description.isEmpty
                ? ""
                : "<span class=\"description\">"
                    + "\(HTML.escape(notebook.frontMatter.description))</span>"
            list += "<li><strong>\(heading)</strong>\(description)</li>\n"
        }
        list += "</ul>\n"
        let title = HTML.escape(configuration.siteTitle)
        return SiteTemplate.page(
            title: configuration.siteTitle,
            navigation: "<a href=\"index.html\">\(title)</a>",
            content: "<header>\n<h1 class=\"title\">\(title)</h1>\n</header>\n"
                + "<main>\n\(list)</main>\n"
        )
    }
}
