import Foundation
import NotebookKit

/// Watches the notebooks, the files their front matter lists under `inputs`, the engine's
/// sources and `Package.swift`; rebuilds the site through ``SiteBuilder`` (whose cache makes
/// it incremental) when one changes; tells the open pages through an ``EventHub``.
///
/// ```swift
/// let rebuilder = LiveRebuilder(notebookFolder: notebooks, projectRoot: root, builder: builder, hub: hub)
/// rebuilder.start()  // builds once, then polls twice a second on its own thread
/// ```
public final class LiveRebuilder: Sendable {
    /// The folder of notebooks built.
    public let notebookFolder: URL
    /// The project root (its `Sources/` and `Package.swift` are watched).
    public let projectRoot: URL
    /// The site builder.
    public let builder: SiteBuilder
    /// Where build results go.
    public let hub: EventHub
    /// How often the files are looked at.
    public let interval: TimeInterval
    private let log: @Sendable (String) -> Void
    private let builds = Locked(0)

    /// Creates a rebuilder; nothing happens before ``start()``.
    public init(
        notebookFolder: URL, projectRoot: URL, builder: SiteBuilder, hub: EventHub,
        interval: TimeInterval = 0.5,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.notebookFolder = notebookFolder
        self.projectRoot = projectRoot
        self.builder = builder
        self.hub = hub
        self.interval = interval
        self.log = log
    }

    /// How many builds have finished (successful or not).
    public var finishedBuilds: Int { builds.withLock { $0 } }

    /// Builds the site, then watches and rebuilds on a thread of its own until the process ends.
    public func start() {
        let thread = Thread { [self] in
            var seen = snapshot()
            build()
            while true {
                Thread.sleep(forTimeInterval: interval)
                var current = snapshot()
                guard current != seen else { continue }
                // Wait until the editor has finished writing.
                repeat {
                    seen = current
                    Thread.sleep(forTimeInterval: interval)
                    current = snapshot()
                } while current != seen
                build()
                seen = snapshot()
            }
        }
        thread.name = "notebook-serve-watcher"
        thread.start()
    }

    /// Builds every notebook once and publishes `reload` or a sticky `failure`.
    public func build() {
        let start = Date()
        hub.publish(.init(name: "status", data: #"{"state":"building"}"#))
        do {
            let report = try builder.buildAll(in: notebookFolder)
            let seconds = Date().timeIntervalSince(start)
            log(String(format: "rebuilt in %.1f s; ran: %@", seconds, report.ran.joined(separator: ", ")))
            hub.publish(.init(name: "reload", data: #"{"seconds":\#(seconds)}"#))
        } catch {
            log("build failed:\n\(error)")
            hub.publish(.init(name: "failure", data: Self.failureJSON(error)), sticky: true)
        }
        builds.withLock { $0 += 1 }
    }

    /// The build's errors as `{"errors":[{"file":…,"line":…,"column":…,"message":…}]}`.
    public static func failureJSON(_ error: any Error) -> String {
        let errors: [NotebookError] =
            switch error {
            case let many as NotebookErrors: many.errors
            case let one as NotebookError: [one]
            default: [NotebookError(file: "build", message: "\(error)")]
            }
        struct Payload: Encodable {
            struct Item: Encodable {
                var file: String, line: Int?, column: Int?, message: String, text: String
            }
            var errors: [Item]
        }
        let payload = Payload(
            errors: errors.map {
                .init(
                    file: $0.file, line: $0.line, column: $0.column, message: $0.message, text: $0.description
                )
            })
        let data = (try? JSONEncoder().encode(payload)) ?? Data(#"{"errors":[]}"#.utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Path → (modification date, size) of every watched file.
    func snapshot() -> [String: [Double]] {
        var files = (try? SiteBuilder.notebookFiles(in: notebookFolder)) ?? []
        for notebook in files {
            guard let parsed = try? Notebook(contentsOf: notebook) else { continue }
            files += parsed.frontMatter.inputs.map { projectRoot.appendingPathComponent($0) }
        }
        files.append(projectRoot.appendingPathComponent("Package.swift"))
        let sources = projectRoot.appendingPathComponent("Sources")
        if let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "swift" { files.append(url) }
        }
        var result: [String: [Double]] = [:]
        for file in files {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path) else {
                result[file.path] = []
                continue
            }
            let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let size = (attributes[.size] as? NSNumber)?.doubleValue ?? 0
            result[file.path] = [date, size]
        }
        return result
    }
}
