import Foundation
import LinearAlgebra
import NotebookKit

/// What the `notebook` commands inject into the runner: the project's importable modules, read
/// from its manifest, and the programs' environment (the OpenBLAS kernels for this CPU).
enum RunnerSetup {
    /// The runner's configuration for the project at `projectRoot`.
    ///
    /// - Throws: ``NotebookError`` when the project's manifest cannot be read.
    static func configuration(
        projectRoot: URL, buildConfiguration: BuildConfiguration = .release, timeoutOverride: Int? = nil,
        forcesRun: Bool = false, log: @escaping @Sendable (String) -> Void
    ) throws -> NotebookRunner.Configuration {
        var configuration = NotebookRunner.Configuration(
            projectRoot: projectRoot, buildConfiguration: buildConfiguration,
            childEnvironment: OpenBLASCoreType.environmentForChild(),
            timeoutOverride: timeoutOverride, forcesRun: forcesRun, log: log)
        configuration.importableModules = try PackageModules.importable(
            fromPackageAt: projectRoot,
            scratchDirectory: configuration.workDirectory.appendingPathComponent("manifest"))
        return configuration
    }
}
