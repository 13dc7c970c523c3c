import Foundation
import NotebookSupport
import Synchronization

/// Builds and runs notebook programs, reusing stored outputs when the cache key is unchanged.
///
/// All notebooks that need to run are compiled together in one generated package (in
/// ``Configuration/workDirectory``) that depends on the project through `.package(path:)`, so
/// the engine is compiled once, in release mode, and later builds are incremental.
public struct NotebookRunner: Sendable {
    /// Where and how to build and run.
    public struct Configuration: Sendable {
        /// The project's folder (with its `Package.swift`); programs run in it.
        public var projectRoot: URL
        /// The runner's own folder: the generated package, stored outputs and scratch space.
        public var workDirectory: URL
        /// `release` (the default: the engine at full speed) or `debug` (traps print messages).
        public var buildConfiguration: String
        /// A time limit in seconds for every notebook, overriding front matter.
        public var timeoutOverride: Int?
        /// The time limit when neither the front matter nor ``timeoutOverride`` gives one.
        public var defaultTimeout: Int
        /// Run even when stored outputs match the cache key.
        public var forcesRun: Bool
        /// Receives progress lines.
        public var log: @Sendable (String) -> Void

        /// Creates a configuration; the work directory defaults to `.build-notebooks` in the
        /// project.
        public init(
            projectRoot: URL, workDirectory: URL? = nil, buildConfiguration: String = "release",
            timeoutOverride: Int? = nil, defaultTimeout: Int = 600, forcesRun: Bool = false,
            log: @escaping @Sendable (String) -> Void = { _ in }
        ) {
            self.projectRoot = projectRoot.standardizedFileURL
            self.workDirectory =
                workDirectory
                ?? projectRoot.appendingPathComponent(".build-notebooks")
            self.buildConfiguration = buildConfiguration
            self.timeoutOverride = timeoutOverride
            self.defaultTimeout = defaultTimeout
            self.forcesRun = forcesRun
            self.log = log
        }
    }

    /// The outputs of one notebook.
    public struct Outcome: Sendable {
        /// The outputs per block.
        public var record: RunRecord
        /// The folder holding the files that the record's items name.
        public var outputDirectory: URL
        /// Whether the stored outputs were reused without compiling or running.
        public var isCached: Bool
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates a runner.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The folder where a notebook's last successful outputs are stored.
    public func cacheDirectory(for notebook: Notebook) -> URL {
        configuration.workDirectory.appendingPathComponent("cache")
            .appendingPathComponent(notebook.name)
    }

    /// The stored outputs of a notebook, if any, whatever their key.
    public func storedRecord(for notebook: Notebook) -> RunRecord? {
        let url = cacheDirectory(for: notebook).appendingPathComponent("record.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(RunRecord.self, from: data)
    }

    /// The cache key of a notebook's current program.
    public func cacheKey(for notebook: Notebook) throws -> String {
        let generator = ProgramGenerator()
        return try CacheKey(
            mainSource: generator.mainSource(for: notebook),
            dependencies: generator.dependencies(of: notebook),
            configuration: configuration.buildConfiguration,
            projectRoot: configuration.projectRoot,
            inputs: notebook.frontMatter.inputs, notebook: notebook
        ).value
    }

    /// Runs notebooks whose stored outputs are missing or stale, and returns every notebook's
    /// outputs by name.
    ///
    /// - Throws: ``NotebookErrors`` with compiler errors mapped to notebook lines, or with the
    ///   block that threw, crashed or timed out. Notebooks that succeeded keep their new
    ///   stored outputs.
    public func run(_ notebooks: [Notebook]) throws -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        var stale: [(notebook: Notebook, key: String)] = []
        for notebook in notebooks {
            let key = try cacheKey(for: notebook)
            if !configuration.forcesRun, let record = storedRecord(for: notebook),
                record.cacheKey == key
            {
                outcomes[notebook.name] = Outcome(
                    record: record, outputDirectory: cacheDirectory(for: notebook), isCached: true
                )
                configuration.log("\(notebook.path): unchanged, reusing stored outputs")
            } else if !notebook.cells.contains(where: \.options.isRun) {
                let record = RunRecord(
                    cacheKey: key,
                    blocks: Array(repeating: RunRecord.Block(), count: notebook.cells.count)
                )
                try store(record, outputs: nil, for: notebook)
                outcomes[notebook.name] = Outcome(
                    record: record, outputDirectory: cacheDirectory(for: notebook), isCached: false
                )
            } else {
                stale.append((notebook, key))
            }
        }
        guard !stale.isEmpty else { return outcomes }

        let executables = try build(stale.map(\.notebook))
        var failures: [NotebookError] = []
        for (notebook, key) in stale {
            guard let executable = executables[notebook.name] else { continue }
            do {
                let (record, outputs) = try execute(notebook, executable: executable, key: key)
                try store(record, outputs: outputs, for: notebook)
                outcomes[notebook.name] = Outcome(
                    record: record, outputDirectory: cacheDirectory(for: notebook), isCached: false
                )
            } catch let error as NotebookError {
                failures.append(error)
            }
        }
        if !failures.isEmpty { throw NotebookErrors(failures) }
        return outcomes
    }
}

// MARK: - Building

extension NotebookRunner {
    fileprivate var packageDirectory: URL { configuration.workDirectory.appendingPathComponent("package") }

    /// Generates and compiles the programs; returns each executable by notebook name.
    fileprivate func build(_ notebooks: [Notebook]) throws -> [String: URL] {
        let generator = ProgramGenerator()
        var targets: [(name: String, dependencies: [String])] = []
        for notebook in notebooks {
            let target = ProgramGenerator.targetName(for: notebook)
            targets.append((target, generator.dependencies(of: notebook)))
            let main = packageDirectory.appendingPathComponent("Sources/\(target)/main.swift")
            try FileWriting.writeIfChanged(Data(generator.mainSource(for: notebook).utf8), to: main)
        }
        let manifest = generator.packageManifest(
            targets: targets, projectRoot: configuration.projectRoot
        )
        try FileWriting.writeIfChanged(
            Data(manifest.utf8), to: packageDirectory.appendingPathComponent("Package.swift")
        )

        var arguments = [
            "swift", "build", "-c", configuration.buildConfiguration,
            "--package-path", packageDirectory.path,
        ]
        if targets.count == 1 { arguments += ["--product", targets[0].name] }
        let names = notebooks.map(\.path).joined(separator: ", ")
        configuration.log("compiling \(names) (\(configuration.buildConfiguration))…")
        let log = configuration.log
        var lastReport = Date()
        let result: Subprocess.Result
        do {
            result = try Subprocess(executable: "/usr/bin/env", arguments: arguments).run(onTick: {
                if Date().timeIntervalSince(lastReport) >= 15 {
                    lastReport = Date()
                    log("  still compiling…")
                }
            })
        } catch {
            throw NotebookError(
                file: notebooks[0].path,
                message: "cannot start 'swift build': \(error.localizedDescription)"
            )
        }
        let output = String(decoding: result.output, as: UTF8.self)
        let diagnostics = Self.diagnostics(in: output, notebooks: notebooks)
        for warning in diagnostics.warnings { log(warning) }
        guard result.isSuccess else {
            if !diagnostics.errors.isEmpty { throw NotebookErrors(diagnostics.errors) }
            let tail = output.split(separator: "\n").suffix(30).joined(separator: "\n")
            throw NotebookError(
                file: notebooks[0].path,
                message: "building the notebook programs failed outside the notebooks' code "
                    + "(is the project itself compiling?):\n\(tail)"
            )
        }
        configuration.log(String(format: "compiled in %.1f s", result.duration))
        let binaries = packageDirectory.appendingPathComponent(".build")
            .appendingPathComponent(configuration.buildConfiguration)
        var executables: [String: URL] = [:]
        for notebook in notebooks {
            executables[notebook.name] = binaries.appendingPathComponent(
                ProgramGenerator.targetName(for: notebook)
            )
        }
        return executables
    }

    /// Compiler errors and warnings located in the notebooks, each once.
    fileprivate static func diagnostics(
        in output: String, notebooks: [Notebook]
    ) -> (errors: [NotebookError], warnings: [String]) {
        var errors: [NotebookError] = []
        var warnings: [String] = []
        var seen = Set<String>()
        for line in output.split(separator: "\n") {
            for notebook in notebooks {
                guard let range = line.range(of: notebook.path + ":"),
                    range.lowerBound == line.startIndex
                        || line[line.index(before: range.lowerBound)] == "/"
                else { continue }
                let rest = line[range.upperBound...]
                let parts = rest.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4, let lineNumber = Int(parts[0]),
                    !seen.contains(String(line))
                else { continue }
                seen.insert(String(line))
                let kind = parts[2].trimmingCharacters(in: .whitespaces)
                let message = parts[3].trimmingCharacters(in: .whitespaces)
                if kind == "error" {
                    errors.append(
                        NotebookError(
                            file: notebook.path, line: lineNumber, column: Int(parts[1]),
                            message: message
                        ))
                } else if kind == "warning" {
                    warnings.append("\(notebook.path):\(lineNumber):\(parts[1]): warning: \(message)")
                }
            }
        }
        return (errors, warnings)
    }
}

// MARK: - Running

extension NotebookRunner {
    /// Runs a compiled program and turns its output into a record.
    fileprivate func execute(
        _ notebook: Notebook, executable: URL, key: String
    ) throws -> (RunRecord, URL) {
        let outputs = configuration.workDirectory.appendingPathComponent("runs")
            .appendingPathComponent(notebook.name)
        let manager = FileManager.default
        try? manager.removeItem(at: outputs)
        try manager.createDirectory(at: outputs, withIntermediateDirectories: true)
        let timeout =
            configuration.timeoutOverride ?? notebook.frontMatter.timeout
            ?? configuration.defaultTimeout
        let cells = notebook.cells
        let runCount = cells.filter(\.options.isRun).count
        let progress = Progress()
        let log = configuration.log
        let path = notebook.path
        log("running \(path) (\(runCount) blocks, time limit \(timeout) s)")
        let start = Date()
        var lastHeartbeat = Date()
        let process = Subprocess(
            executable: executable.path, arguments: [],
            environment: [
                "NOTEBOOK_OUTPUT_DIR": outputs.path, "SWIFT_BACKTRACE": "enable=no",
            ].merging(OpenBLASCoreType.environmentForChild()) { own, _ in own },
            currentDirectory: configuration.projectRoot, timeout: Double(timeout)
        )
        let result: Subprocess.Result
        do {
            result = try process.run(
                onOutput: { chunk in
                    for block in OutputParser.beganBlocks(in: chunk) where block < cells.count {
                        progress.set(block)
                        let position = cells.filter { $0.options.isRun && $0.index <= block }.count
                        log(
                            String(
                                format: "  block %d/%d (line %d) at %.1f s", position, runCount,
                                cells[block].fenceLine, Date().timeIntervalSince(start)
                            ))
                    }
                },
                onTick: {
                    guard Date().timeIntervalSince(lastHeartbeat) >= 10,
                        let block = progress.current
                    else { return }
                    lastHeartbeat = Date()
                    log(
                        String(
                            format: "  … still in the block at line %d, %.0f s elapsed",
                            cells[block].fenceLine, Date().timeIntervalSince(start)
                        ))
                }
            )
        } catch {
            throw NotebookError(
                file: notebook.path,
                message: "cannot start the notebook's program \(executable.path): "
                    + error.localizedDescription
            )
        }
        var parsed = OutputParser.parse(result.output, blockCount: cells.count)
        let failure = Self.failure(
            of: result, parsed: &parsed, notebook: notebook, timeout: timeout
        )
        if let failure {
            if let block = parsed.lastBlock {
                for item in parsed.blocks[block].items {
                    log(Self.terminalText(of: item))
                }
            }
            throw failure
        }
        log(String(format: "ran \(path) in %.1f s", result.duration))
        return (RunRecord(cacheKey: key, blocks: parsed.blocks), outputs)
    }

    /// Stores a successful record and its files as the notebook's cached outputs.
    fileprivate func store(_ record: RunRecord, outputs: URL?, for notebook: Notebook) throws {
        let manager = FileManager.default
        let destination = cacheDirectory(for: notebook)
        let staging = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(notebook.name).new-\(getpid())")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(
            at: staging.deletingLastPathComponent(), withIntermediateDirectories: true
        )
        if let outputs {
            try manager.moveItem(at: outputs, to: staging)
        } else {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(record).write(to: staging.appendingPathComponent("record.json"))
        try FileWriting.swapDirectory(staging, into: destination)
    }

    /// The error of a run that did not finish, attached to the block it stopped in.
    fileprivate static func failure(
        of result: Subprocess.Result, parsed: inout OutputParser.Parsed, notebook: Notebook,
        timeout: Int
    ) -> NotebookError? {
        if result.isSuccess && parsed.isFinished { return nil }
        guard let block = parsed.lastBlock, block < notebook.cells.count else {
            return NotebookError(
                file: notebook.path,
                message: "the notebook's program stopped before its first block "
                    + "(status \(result.status))"
            )
        }
        let cell = notebook.cells[block]
        var message: String
        var line = cell.fenceLine
        let fatal = extractFatalError(from: &parsed.blocks[block], notebook: notebook)
        if result.isTimedOut {
            message =
                "the block was still running when the time limit of \(timeout) s ran out; "
                + "raise 'timeout:' in the front matter or pass --timeout"
        } else if let missing = parsed.blocks[block].items.first(where: {
            $0.kind == .error && $0.isExpected == false
        }) {
            return NotebookError(
                file: notebook.path, line: cell.fenceLine, message: missing.text ?? ""
            )
        } else if let fatal, fatal.message.hasPrefix(topLevelPrefix) {
            message = "the block threw an error: " + fatal.message.dropFirst(topLevelPrefix.count)
        } else if let fatal {
            message = "the block crashed: \(fatal.message)"
            line = fatal.line ?? line
        } else if result.isSignaled {
            message = "the block crashed with signal \(result.status) (\(signalName(result.status)))"
            if result.status == SIGILL || result.status == SIGTRAP {
                message +=
                    ": a Swift runtime trap such as an index out of range, a nil "
                    + "force-unwrap or an arithmetic overflow; build with --debug to see its message"
            }
        } else {
            message = "the program exited with status \(result.status) during this block"
        }
        parsed.blocks[block].items.append(OutputItem(kind: .error, text: message, isExpected: false))
        return NotebookError(file: notebook.path, line: line, message: message)
    }

    fileprivate static let topLevelPrefix = "Error raised at top level: "

    /// Finds the Swift runtime's `Fatal error: …` line in a block's printed text, removes it
    /// and the stack trace after it, and returns its message and, when the trap happened in
    /// the notebook's own code, its line.
    fileprivate static func extractFatalError(
        from block: inout RunRecord.Block, notebook: Notebook
    ) -> (message: String, line: Int?)? {
        let marker = "Fatal error: "
        for index in block.items.indices.reversed() where block.items[index].kind == .text {
            guard let text = block.items[index].text, let range = text.range(of: marker) else {
                continue
            }
            let lineStart =
                text[..<range.lowerBound].lastIndex(of: "\n")
                .map { text.index(after: $0) } ?? text.startIndex
            let location = text[lineStart..<range.lowerBound]
            let message = String(text[range.upperBound...].prefix { $0 != "\n" })
            var line: Int?
            if location.hasPrefix(notebook.path + ":") {
                line = Int(location.dropFirst(notebook.path.count + 1).prefix { $0.isNumber })
            }
            block.items[index].text = String(text[..<lineStart])
            return (message, line)
        }
        return nil
    }

    fileprivate static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGSEGV: "SIGSEGV, invalid memory access"
        case SIGABRT: "SIGABRT"
        case SIGKILL: "SIGKILL, killed"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        default: "signal \(signal)"
        }
    }

    fileprivate static func terminalText(of item: OutputItem) -> String {
        switch item.kind {
        case .text, .value, .error:
            let text = item.text ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let shown = lines.suffix(20).map { "  | \($0)" }.joined(separator: "\n")
            return item.kind == .error ? "  | error: \(text)" : shown
        case .table: return "  | [table: \(item.caption ?? "")]"
        case .image, .chart: return "  | [figure: \(item.caption ?? item.file ?? "")]"
        }
    }
}

/// The block a running program is in, shared between the reader thread and the waiting loop.
private final class Progress: Sendable {
    private let block = Mutex<Int?>(nil)

    func set(_ value: Int) {
        block.withLock { $0 = value }
    }

    var current: Int? { block.withLock { $0 } }
}
