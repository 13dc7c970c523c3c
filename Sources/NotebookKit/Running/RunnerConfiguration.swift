import Foundation

extension NotebookRunner {
    /// Where and how to build and run.
    ///
    /// The runner knows nothing of the project's modules or of the libraries they load: the
    /// command that creates it injects the modules notebooks may import
    /// (``importableModules``, usually ``PackageModules/importable(fromPackageAt:scratchDirectory:)``)
    /// and what the programs' environment needs (``childEnvironment``).
    public struct Configuration: Sendable {
        /// The project's folder (with its `Package.swift`); programs run in it.
        public var projectRoot: URL
        /// The runner's own folder: the generated package, stored outputs and scratch space.
        public var workDirectory: URL
        /// How programs are compiled (release by default: the engine at full speed).
        public var buildConfiguration: BuildConfiguration
        /// The project modules notebooks may import; must include the runtime module
        /// (``ImportableModule/runtimeModuleName``).
        public var importableModules: [ImportableModule]
        /// Variables added to each program's environment (a variable the runner sets itself,
        /// such as `NOTEBOOK_OUTPUT_DIR`, wins).
        public var childEnvironment: [String: String]
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
            projectRoot: URL, workDirectory: URL? = nil, buildConfiguration: BuildConfiguration = .release,
            importableModules: [ImportableModule] = [], childEnvironment: [String: String] = [:],
            timeoutOverride: Int? = nil, defaultTimeout: Int = 600, forcesRun: Bool = false,
            log: @escaping @Sendable (String) -> Void = { _ in }
        ) {
            self.projectRoot = projectRoot.standardizedFileURL
            self.workDirectory = workDirectory ?? projectRoot.appendingPathComponent(".build-notebooks")
            self.buildConfiguration = buildConfiguration
            self.importableModules = importableModules
            self.childEnvironment = childEnvironment
            self.timeoutOverride = timeoutOverride
            self.defaultTimeout = defaultTimeout
            self.forcesRun = forcesRun
            self.log = log
        }

        /// The folder of the generated package holding one executable per notebook.
        var packageDirectory: URL { workDirectory.appendingPathComponent("package") }

        /// The stored outputs.
        var cache: OutputCache { OutputCache(directory: workDirectory.appendingPathComponent("cache")) }

        /// The generator of the programs.
        var generator: ProgramGenerator { ProgramGenerator(modules: importableModules) }
    }
}
