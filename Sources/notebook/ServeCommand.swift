import ArgumentParser
import Explorer
import Foundation
import NotebookKit
import NotebookServer

/// `notebook serve`: builds the site, serves it on 127.0.0.1 with the unit explorer and its
/// JSON API, and rebuilds and reloads the open pages when a notebook, an input or a source
/// file changes.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the site with live reload and the unit explorer (docs/SERVE.md).",
        discussion: """
            Builds the notebooks in the folder, serves the site, explore.html and /api/… on \
            --host:--port, watches the notebooks, their 'inputs' and Sources/ and rebuilds \
            (incrementally, through the runner's cache) when one changes. A failed build is shown \
            over the last good page. Press Ctrl-C to stop.
            """
    )

    @Argument(help: "The folder of notebooks.")
    var path: String = "Notebooks"

    @Option(help: "The port to listen on.")
    var port: UInt16 = 8000

    @Option(help: "The address to listen on (127.0.0.1: this machine only).")
    var host: String = "127.0.0.1"

    @Option(help: "The project folder holding Package.swift (default: the package above the folder).")
    var project: String?

    @Option(help: "The site folder (default: as for `notebook`).")
    var site: String?

    @Flag(help: "Serve the site as it is: do not build or watch.")
    var noBuild = false

    @Flag(
        help: """
            Do not serve: write the static explorer (explore.html and explorer-data/, for file://) \
            into the site folder, link it from every page's sidebar and exit. Run it after \
            building the site.
            """)
    var exportExplorer = false

    @Option(help: "The test images of the static explorer, comma-separated.")
    var exportImages: String = "0,1,2,3"

    @Option(help: "The static explorer's budget in MB (bundles beyond it are left out).")
    var exportBudget: Int = 16

    func run() throws {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard
            let root = project.map({ URL(fileURLWithPath: $0).standardizedFileURL })
                ?? ProjectLocator.projectRoot(for: folder, isDirectory: true, currentDirectory: current)
        else {
            throw ValidationError("no Package.swift above \(path) nor in the current folder; pass --project")
        }
        let siteDirectory =
            site.map { URL(fileURLWithPath: $0) }
            ?? SiteBuilder.defaultSiteDirectory(forNotebookFolder: folder, projectRoot: root)
        if exportExplorer {
            try export(into: siteDirectory, root: root)
            return
        }
        let hub = EventHub()
        let handler = PreviewHandler(
            siteDirectory: siteDirectory, modelDirectory: root.appendingPathComponent("Models"),
            explorer: Explorer(root: root), hub: hub)
        if !noBuild {
            let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let runner = try RunnerSetup.configuration(projectRoot: root, log: log)
            let builder = SiteBuilder(
                configuration: SiteBuilder.Configuration(runner: runner, siteDirectory: siteDirectory))
            LiveRebuilder(notebookFolder: folder, projectRoot: root, builder: builder, hub: hub, log: log)
                .start()
        }
        print("serving \(siteDirectory.path) on http://\(host):\(port)/ (explorer: /explore.html)")
        try PreviewServer.serve(host: host, port: port, handler: handler)
    }

    private func export(into site: URL, root: URL) throws {
        let images = exportImages.split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard !images.isEmpty else {
            throw ValidationError("--export-images: expected indices such as 0,1,2,3")
        }
        var export = StaticExplorerExport(explorer: Explorer(root: root), images: images)
        export.budget = exportBudget << 20
        let start = Date()
        let report = try export.write(into: site) { print($0) }
        print(
            String(
                format: "static explorer: %@/explore.html, %d bundles, %.1f MB (budget %d MB) in %.1f s",
                site.path, report.bundles.count, Double(report.bytes) / 1_048_576, exportBudget,
                Date().timeIntervalSince(start)))
        print("linked from the sidebar of \(report.linkedPages.count) pages of the site")
        if !report.skipped.isEmpty {
            print("left out (over budget): " + report.skipped.joined(separator: ", "))
        }
    }
}

extension NotebookCommand {
    /// Runs `notebook serve …` as ``ServeCommand`` and everything else as the build command.
    ///
    /// ArgumentParser would read `serve` as the root command's optional notebook path, so the
    /// subcommand is picked here by its name before the root parses; `serve` is still listed in
    /// `notebook --help`.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == ServeCommand.configuration.commandName {
            ServeCommand.main(Array(arguments.dropFirst()))
        } else {
            main(arguments)
        }
    }
}
