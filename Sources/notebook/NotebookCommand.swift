import ArgumentParser
import Foundation
import NotebookKit

/// `notebook`: runs Markdown notebooks and builds the static site.
@main
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run Markdown notebooks and build the static site in Site/.",
        discussion: """
            With a folder, builds every notebook in it; with one .md file, builds that \
            notebook and refreshes the index. Pages the site holds from other folders are kept. \
            Notebooks whose \
            code, engine and inputs did not change are not recompiled or re-run. \
            See docs/NOTEBOOKS.md for the notebook syntax.
            """,
        subcommands: [ServeCommand.self]
    )

    @Argument(help: "A notebook (.md) or a folder of notebooks.")
    var path: String = "Notebooks"

    @Option(
        help: """
            The project folder holding Package.swift (default: the package above the notebook, \
            else the one in the current folder).
            """)
    var project: String?

    @Option(
        help: """
            The site folder (default: <project>/Site for <project>/Notebooks, else Site/ inside \
            the notebooks' folder). Pages already there from other builds are kept.
            """)
    var site: String?

    @Option(help: "Time limit in seconds for each notebook's program (overrides front matter).")
    var timeout: Int?

    @Option(help: "The title of the site's index page.")
    var title: String = "Notebooks"

    @Flag(help: "Fold every code block (a block's 'unfold' or the page's 'fold-code: false' opens it).")
    var foldCode = false

    @Flag(help: "Build notebook programs in debug mode (traps print their message and line).")
    var debug = false

    @Flag(help: "Run every notebook even if its stored outputs are current.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    func run() throws {
        let start = Date()
        let target = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else {
            throw fail(NotebookError(file: path, message: "no such notebook file or folder"))
        }
        guard
            let root = project.map({ URL(fileURLWithPath: $0).standardizedFileURL })
                ?? ProjectLocator.projectRoot(
                    for: target, isDirectory: isDirectory.boolValue,
                    currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        else {
            throw fail(
                NotebookError(
                    file: path,
                    message: "no Package.swift above this path nor in the current folder; "
                        + "pass --project"
                ))
        }
        let isQuiet = quiet
        let runner: NotebookRunner.Configuration
        do {
            runner = try RunnerSetup.configuration(
                projectRoot: root, buildConfiguration: debug ? .debug : .release,
                timeoutOverride: timeout, forcesRun: force,
                log: { line in
                    if !isQuiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
                })
        } catch {
            throw fail(error)
        }
        let folder = isDirectory.boolValue ? target : target.deletingLastPathComponent()
        let siteDirectory =
            site.map { URL(fileURLWithPath: $0) }
            ?? SiteBuilder.defaultSiteDirectory(forNotebookFolder: folder, projectRoot: root)
        let builder = SiteBuilder(
            configuration: SiteBuilder.Configuration(
                runner: runner, siteDirectory: siteDirectory, siteTitle: title,
                foldsCodeByDefault: foldCode
            ))
        let report: SiteBuilder.Report
        do {
            report =
                isDirectory.boolValue
                ? try builder.buildAll(in: target) : try builder.buildOne(target)
        } catch {
            throw fail(error)
        }
        if !quiet {
            print(Self.summary(of: report, site: siteDirectory, seconds: Date().timeIntervalSince(start)))
        }
    }

    /// The last line of a build: the site, the time, and what was run, reused, kept or not built.
    private static func summary(of report: SiteBuilder.Report, site: URL, seconds: Double) -> String {
        var summary = String(format: "site %@ built in %.2f s", site.path, seconds)
        if !report.ran.isEmpty { summary += "; ran: " + report.ran.joined(separator: ", ") }
        if !report.reused.isEmpty { summary += "; reused: " + report.reused.joined(separator: ", ") }
        if !report.kept.isEmpty { summary += "; kept: " + report.kept.joined(separator: ", ") }
        if !report.unbuilt.isEmpty { summary += "; not built yet: " + report.unbuilt.joined(separator: ", ") }
        return summary
    }

    /// Prints an error (every line of a multi-error) and returns the failure exit code.
    private func fail(_ error: any Error) -> ExitCode {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return .failure
    }
}
