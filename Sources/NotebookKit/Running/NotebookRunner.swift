import Foundation

/// Builds and runs notebook programs, reusing stored outputs when the cache key is unchanged.
///
/// The runner drives three steps of the pipeline over the notebooks whose stored outputs are
/// missing or stale: ``GenerateStep`` writes one package with an executable per notebook,
/// ``BuildStep`` compiles it once (the engine in release mode, incrementally), and ``RunStep``
/// runs each program; ``OutputCache`` keeps each notebook's last successful outputs.
public struct NotebookRunner: Sendable {
    /// The outputs of one notebook.
    public struct Outcome: Sendable {
        /// The outputs per block.
        public var record: RunRecord
        /// The folder holding the files that the record's items name.
        public var outputDirectory: URL
        /// Whether the stored outputs were reused without compiling or running.
        public var isCached: Bool

        /// Creates an outcome.
        public init(record: RunRecord, outputDirectory: URL, isCached: Bool) {
            self.record = record
            self.outputDirectory = outputDirectory
            self.isCached = isCached
        }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates a runner.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The folder where a notebook's last successful outputs are stored.
    public func cacheDirectory(for notebook: Notebook) -> URL {
        configuration.cache.folder(for: notebook)
    }

    /// The stored outputs of a notebook, if any, whatever their key.
    public func storedRecord(for notebook: Notebook) -> RunRecord? {
        configuration.cache.record(for: notebook)
    }

    /// The cache key of a notebook's current program.
    ///
    /// - Throws: ``NotebookError`` when an input is missing or the runtime module is not among
    ///   the configured modules.
    public func cacheKey(for notebook: Notebook) throws -> String {
        let generator = configuration.generator
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
    /// - Throws: ``NotebookErrors`` naming the step: compiler errors mapped to notebook lines,
    ///   or the block that threw, crashed or timed out. Notebooks that succeeded keep their new
    ///   stored outputs.
    public func run(_ notebooks: [Notebook]) throws -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        var stale: [(notebook: Notebook, key: String)] = []
        for notebook in notebooks {
            let key = try PipelineStage.generate.attributing(file: notebook.path) {
                try cacheKey(for: notebook)
            }
            if let outcome = try reusableOutcome(of: notebook, key: key) {
                outcomes[notebook.name] = outcome
            } else {
                stale.append((notebook, key))
            }
        }
        guard !stale.isEmpty else { return outcomes }
        let generate = GenerateStep(
            packageDirectory: configuration.packageDirectory, projectRoot: configuration.projectRoot,
            generator: configuration.generator)
        let build = BuildStep(configuration: configuration.buildConfiguration, log: configuration.log)
        let executables = try build(try generate(stale.map(\.notebook)))
        var failures: [NotebookError] = []
        for (notebook, key) in stale {
            guard let executable = executables[notebook.name] else { continue }
            do {
                outcomes[notebook.name] = try runAndStore(
                    RunStep.Job(notebook: notebook, executable: executable, key: key))
            } catch let error as NotebookError {
                failures.append(error)
            }
        }
        if !failures.isEmpty { throw NotebookErrors(failures) }
        return outcomes
    }

    /// The outcome of a notebook that needs no run: its stored outputs when their key is
    /// current (unless forced), or an empty record when it has no block to run.
    private func reusableOutcome(of notebook: Notebook, key: String) throws -> Outcome? {
        let cache = configuration.cache
        if !configuration.forcesRun, let record = cache.record(for: notebook, key: key) {
            configuration.log("\(notebook.path): unchanged, reusing stored outputs")
            return Outcome(record: record, outputDirectory: cache.folder(for: notebook), isCached: true)
        }
        guard !notebook.cells.contains(where: \.options.isRun) else { return nil }
        let record = RunRecord(
            cacheKey: key, blocks: Array(repeating: RunRecord.Block(), count: notebook.cells.count))
        try PipelineStage.run.attributing(file: notebook.path) {
            try cache.store(record, outputs: nil, for: notebook)
        }
        return Outcome(record: record, outputDirectory: cache.folder(for: notebook), isCached: false)
    }

    /// Runs one program and stores its outputs.
    private func runAndStore(_ job: RunStep.Job) throws -> Outcome {
        let result = try RunStep(configuration: configuration)(job)
        let cache = configuration.cache
        try PipelineStage.run.attributing(file: job.notebook.path) {
            try cache.store(result.record, outputs: result.outputDirectory, for: job.notebook)
        }
        return Outcome(
            record: result.record, outputDirectory: cache.folder(for: job.notebook), isCached: false)
    }
}
