import Foundation

/// The build step: compiles the generated package with `swift build` and returns each
/// notebook's executable by notebook name.
///
/// Compiler errors in notebook code leave as ``NotebookErrors`` with the notebook's lines;
/// warnings go to the log; a failure outside the notebooks' code shows the build's last lines.
public struct BuildStep: PipelineStep {
    /// ``PipelineStage/build``.
    public static let stage = PipelineStage.build

    /// Release or debug.
    public var configuration: BuildConfiguration
    /// Receives progress lines (a heartbeat every 15 s while compiling) and warnings.
    public var log: @Sendable (String) -> Void

    /// Creates the step.
    public init(configuration: BuildConfiguration, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
    }

    /// The first program's notebook.
    public func file(of input: GeneratedPackage) -> String {
        input.programs.first?.path ?? input.directory.path
    }

    /// Compiles the package (only the one product when there is one notebook).
    public func perform(_ package: GeneratedPackage) throws -> [String: URL] {
        var arguments = [
            "swift", "build", "-c", configuration.rawValue, "--package-path", package.directory.path,
        ]
        if package.programs.count == 1 { arguments += ["--product", package.programs[0].target] }
        log("compiling \(package.programs.map(\.path).joined(separator: ", ")) (\(configuration.rawValue))…")
        let result: Subprocess.Result
        do {
            result = try compile(arguments)
        } catch {
            throw NotebookError(
                file: file(of: package), message: "cannot start 'swift build': \(error.localizedDescription)")
        }
        let output = String(decoding: result.output, as: UTF8.self)
        let diagnostics = CompilerDiagnostics(output: output, notebookPaths: package.programs.map(\.path))
        for warning in diagnostics.warnings { log(warning) }
        guard result.isSuccess else {
            if !diagnostics.errors.isEmpty { throw NotebookErrors(diagnostics.errors) }
            let tail = output.split(separator: "\n").suffix(30).joined(separator: "\n")
            throw NotebookError(
                file: file(of: package),
                message: "building the notebook programs failed outside the notebooks' code "
                    + "(is the project itself compiling?):\n\(tail)")
        }
        log(String(format: "compiled in %.1f s", result.duration))
        let binaries = package.directory.appendingPathComponent(".build")
            .appendingPathComponent(configuration.rawValue)
        var executables: [String: URL] = [:]
        for program in package.programs {
            executables[program.notebook] = binaries.appendingPathComponent(program.target)
        }
        return executables
    }

    /// Runs `swift build`, logging a heartbeat while it compiles.
    private func compile(_ arguments: [String]) throws -> Subprocess.Result {
        let log = self.log
        var lastReport = Date()
        return try Subprocess(executable: "/usr/bin/env", arguments: arguments).run(onTick: {
            if Date().timeIntervalSince(lastReport) >= 15 {
                lastReport = Date()
                log("  still compiling…")
            }
        })
    }
}
