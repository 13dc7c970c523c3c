import Foundation

/// The package of notebook programs written by ``GenerateStep``.
public struct GeneratedPackage: Sendable {
    /// One notebook's program: its executable target.
    public struct Program: Sendable {
        /// The notebook's name (its file name without `.md`).
        public var notebook: String
        /// The notebook's display path, as compiler diagnostics name it.
        public var path: String
        /// The executable target (``ProgramGenerator/targetName(for:)``).
        public var target: String
    }

    /// The package folder (with its `Package.swift`).
    public var directory: URL
    /// The programs, in the order of the notebooks.
    public var programs: [Program]
}

/// The generate step: notebooks to one Swift package with an executable per notebook, which
/// depends on the project through `.package(path:)` (so the engine is compiled once, and later
/// builds are incremental). Files whose contents did not change are not rewritten.
public struct GenerateStep: PipelineStep {
    /// ``PipelineStage/generate``.
    public static let stage = PipelineStage.generate

    /// The folder of the generated package.
    public var packageDirectory: URL
    /// The project the programs depend on.
    public var projectRoot: URL
    /// Writes each program.
    public var generator: ProgramGenerator

    /// Creates the step.
    public init(packageDirectory: URL, projectRoot: URL, generator: ProgramGenerator) {
        self.packageDirectory = packageDirectory
        self.projectRoot = projectRoot
        self.generator = generator
    }

    /// The first notebook's path.
    public func file(of input: [Notebook]) -> String { input.first?.path ?? packageDirectory.path }

    /// Writes every notebook's `main.swift` and the package's `Package.swift`.
    public func perform(_ notebooks: [Notebook]) throws -> GeneratedPackage {
        var targets: [(name: String, dependencies: [ImportableModule])] = []
        var programs: [GeneratedPackage.Program] = []
        for notebook in notebooks {
            let target = ProgramGenerator.targetName(for: notebook)
            targets.append((target, try generator.dependencies(of: notebook)))
            programs.append(.init(notebook: notebook.name, path: notebook.path, target: target))
            let main = packageDirectory.appendingPathComponent("Sources/\(target)/main.swift")
            try FileWriting.writeIfChanged(Data(generator.mainSource(for: notebook).utf8), to: main)
        }
        let manifest = generator.packageManifest(targets: targets, projectRoot: projectRoot)
        try FileWriting.writeIfChanged(
            Data(manifest.utf8), to: packageDirectory.appendingPathComponent("Package.swift"))
        return GeneratedPackage(directory: packageDirectory, programs: programs)
    }
}
