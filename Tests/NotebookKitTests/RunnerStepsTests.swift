import Foundation
import Testing

@testable import NotebookKit

/// The generate, build and run steps' parts that need no compiler (ProgramTests compiles).
@Suite("Runner steps")
struct RunnerStepsTests {
    static let runtime = ImportableModule(
        name: "NotebookSupport", product: "NotebookSupport", sourceFolders: ["Sources/NotebookSupport"])
    static let engine = ImportableModule(
        name: "Engine", product: "EngineKit", sourceFolders: ["Sources/Engine"])

    @Test func generateWritesOneTargetPerNotebookLinkingWhatItImports() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebooks = try [
            Notebook(source: "```swift\nimport Engine\nprint(1)\n```\n", path: "Notebooks/uses-engine.md"),
            Notebook(source: "```swift\nprint(2)\n```\n", path: "Notebooks/plain.md"),
        ]
        let step = GenerateStep(
            packageDirectory: folder.appendingPathComponent("package"),
            projectRoot: URL(fileURLWithPath: "/work/Project"),
            generator: ProgramGenerator(modules: [Self.engine, Self.runtime]))
        let package = try step(notebooks)
        #expect(package.programs.map(\.target) == ["nb_uses_engine", "nb_plain"])
        #expect(package.programs.map(\.path) == ["Notebooks/uses-engine.md", "Notebooks/plain.md"])
        let manifest = try String(
            contentsOf: package.directory.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains(#".package(path: "/work/Project")"#))
        #expect(
            manifest.contains(
                #"name: "nb_uses_engine", dependencies: [.product(name: "EngineKit", package: "project"), "#
                    + #".product(name: "NotebookSupport", package: "project")]"#))
        #expect(
            manifest.contains(
                #"name: "nb_plain", dependencies: [.product(name: "NotebookSupport", package: "project")]"#))
        let main = package.directory.appendingPathComponent("Sources/nb_plain/main.swift")
        #expect(try String(contentsOf: main, encoding: .utf8).contains("print(2)"))
    }

    @Test func generateFailsWithTheNotebookAndTheStepWithoutTheRuntime() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook = try Notebook(source: "```swift\nprint(1)\n```\n", path: "Notebooks/x.md")
        let step = GenerateStep(
            packageDirectory: folder, projectRoot: folder, generator: ProgramGenerator(modules: [Self.engine])
        )
        #expect {
            try step([notebook])
        } throws: { error in
            let error = error as? NotebookError
            return error?.file == "Notebooks/x.md" && error?.step == .generate
        }
    }

    @Test func compilerDiagnosticsAreMappedToNotebooksOnce() {
        let output = """
            [3/5] Compiling nb_x main.swift
            /tmp/p/Notebooks/x.md:5:17: error: cannot convert value of type 'Int' to specified type 'String'
            Notebooks/x.md:7:1: error: cannot find 'y' in scope
            Notebooks/x.md:7:1: error: cannot find 'y' in scope
            Notebooks/x.md:9:3: warning: variable 'b' was never used
            Notebooks/other.md:1:1: error: not ours
            OtherNotebooks/x.md:2:2: error: a different file
            Notebooks/x.md: note: no line
            """
        let diagnostics = CompilerDiagnostics(output: output, notebookPaths: ["Notebooks/x.md"])
        #expect(
            diagnostics.errors == [
                NotebookError(
                    file: "Notebooks/x.md", line: 5, column: 17,
                    message: "cannot convert value of type 'Int' to specified type 'String'"),
                NotebookError(
                    file: "Notebooks/x.md", line: 7, column: 1, message: "cannot find 'y' in scope"),
            ])
        #expect(diagnostics.warnings == ["Notebooks/x.md:9:3: warning: variable 'b' was never used"])
    }

    private func result(status: Int32, signaled: Bool = false, timedOut: Bool = false) -> Subprocess.Result {
        Subprocess.Result(
            status: status, isSignaled: signaled, isTimedOut: timedOut, output: Data(), errorOutput: Data(),
            duration: 1)
    }

    @Test(
        arguments: [
            (9, true, true, "the block was still running when the time limit of 5 s ran out; "),
            (11, true, false, "the block crashed with signal 11 (SIGSEGV, invalid memory access)"),
            (4, true, false, "the block crashed with signal 4 (SIGILL): a Swift runtime trap"),
            (3, false, false, "the program exited with status 3 during this block"),
        ] as [(Int32, Bool, Bool, String)])
    func failuresAreClassifiedOnTheirBlock(status: Int32, signaled: Bool, timedOut: Bool, expected: String)
        throws
    {
        let notebook = try Notebook(source: "# T\n\n```swift\nprint(1)\n```\n", path: "Notebooks/t.md")
        var parsed = OutputParser.Parsed(blocks: [RunRecord.Block()], lastBlock: 0, isFinished: false)
        let error = RunFailure.classify(
            result(status: status, signaled: signaled, timedOut: timedOut), parsed: &parsed,
            notebook: notebook,
            timeout: 5)
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "nil")")
        #expect(parsed.blocks[0].items.count == 1)
    }

    @Test func aProgramThatStopsBeforeItsFirstBlockOrFinishesIsClassified() throws {
        let notebook = try Notebook(source: "```swift\nprint(1)\n```\n", path: "Notebooks/t.md")
        var early = OutputParser.Parsed(blocks: [RunRecord.Block()], lastBlock: nil, isFinished: false)
        let error = RunFailure.classify(result(status: 1), parsed: &early, notebook: notebook, timeout: 5)
        #expect(error?.line == nil)
        #expect(error?.message == "the notebook's program stopped before its first block (status 1)")
        var finished = OutputParser.Parsed(blocks: [RunRecord.Block()], lastBlock: 0, isFinished: true)
        #expect(
            RunFailure.classify(result(status: 0), parsed: &finished, notebook: notebook, timeout: 5) == nil)
    }

    @Test func theRunStepsTimeLimitPrefersTheOverride() throws {
        let notebook = try Notebook(source: "---\ntimeout: 30\n---\n# T\n", path: "Notebooks/t.md")
        var configuration = NotebookRunner.Configuration(
            projectRoot: URL(fileURLWithPath: "/tmp"), defaultTimeout: 600)
        #expect(RunStep(configuration: configuration).timeout(of: notebook) == 30)
        configuration.timeoutOverride = 7
        #expect(RunStep(configuration: configuration).timeout(of: notebook) == 7)
        let plain = try Notebook(source: "# T\n", path: "Notebooks/p.md")
        #expect(
            RunStep(configuration: .init(projectRoot: URL(fileURLWithPath: "/tmp"))).timeout(of: plain) == 600
        )
    }
}
