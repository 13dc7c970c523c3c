import Foundation

/// The run step: runs one notebook's compiled program in the project folder and turns what it
/// prints into a ``RunRecord``; a program that threw, crashed, hung or exited early leaves as a
/// ``NotebookError`` on the block where it stopped (after echoing that block's outputs to the
/// log).
public struct RunStep: PipelineStep {
    /// One program to run.
    public struct Job: Sendable {
        /// The notebook.
        public var notebook: Notebook
        /// Its compiled program.
        public var executable: URL
        /// The cache key its record gets.
        public var key: String

        /// Creates a job.
        public init(notebook: Notebook, executable: URL, key: String) {
            self.notebook = notebook
            self.executable = executable
            self.key = key
        }
    }

    /// A finished run.
    public struct Result: Sendable {
        /// The outputs per block.
        public var record: RunRecord
        /// The folder holding the files the record's items name.
        public var outputDirectory: URL
    }

    /// ``PipelineStage/run``.
    public static let stage = PipelineStage.run

    /// The runner's configuration: work folder, project, time limits, environment, log.
    public var configuration: NotebookRunner.Configuration

    /// Creates the step.
    public init(configuration: NotebookRunner.Configuration) {
        self.configuration = configuration
    }

    /// The notebook's path.
    public func file(of input: Job) -> String { input.notebook.path }

    /// The time limit of a notebook: the override, else its front matter, else the default.
    public func timeout(of notebook: Notebook) -> Int {
        configuration.timeoutOverride ?? notebook.frontMatter.timeout ?? configuration.defaultTimeout
    }

    /// Runs the program, its output files going to a fresh `runs/<name>` folder.
    public func perform(_ job: Job) throws -> Result {
        let notebook = job.notebook
        let outputs = configuration.workDirectory.appendingPathComponent("runs")
            .appendingPathComponent(notebook.name)
        try? FileManager.default.removeItem(at: outputs)
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        let timeout = timeout(of: notebook)
        let runCount = notebook.cells.filter(\.options.isRun).count
        configuration.log("running \(notebook.path) (\(runCount) blocks, time limit \(timeout) s)")
        let environment = ["NOTEBOOK_OUTPUT_DIR": outputs.path, "SWIFT_BACKTRACE": "enable=no"]
            .merging(configuration.childEnvironment) { own, _ in own }
        let execution = ProgramExecution(
            notebook: notebook, executable: job.executable, environment: environment,
            currentDirectory: configuration.projectRoot, timeout: timeout, log: configuration.log)
        let result: Subprocess.Result
        do {
            result = try execution.run()
        } catch {
            throw NotebookError(
                file: notebook.path,
                message: "cannot start the notebook's program \(job.executable.path): "
                    + error.localizedDescription)
        }
        var parsed = OutputParser.parse(result.output, blockCount: notebook.cells.count)
        if let failure = RunFailure.classify(result, parsed: &parsed, notebook: notebook, timeout: timeout) {
            if let block = parsed.lastBlock {
                for item in parsed.blocks[block].items {
                    configuration.log(RunFailure.terminalText(of: item))
                }
            }
            throw failure
        }
        configuration.log(String(format: "ran \(notebook.path) in %.1f s", result.duration))
        return Result(record: RunRecord(cacheKey: job.key, blocks: parsed.blocks), outputDirectory: outputs)
    }
}
