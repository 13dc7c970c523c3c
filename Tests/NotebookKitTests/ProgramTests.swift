import Foundation
import NotebookSupport
import Testing

@testable import NotebookKit

/// Tests that compile generated programs. They share one generated package in
/// `.build-notebooks-tests/` (kept between runs, so builds are incremental), run one at a time,
/// and import only NotebookSupport, so the engine is never built here.
@Suite("Running notebook programs", .serialized)
struct ProgramTests {
    static let workDirectory = TestSupport.repositoryRoot
        .appendingPathComponent(".build-notebooks-tests")

    static let notebook = #"""
        ---
        title: Outputs
        ---
        # Outputs

        ```swift
        let a = 21
        print("a is", a)
        ```

        ```swift hide-output
        show(a * 2, label: "answer")
        ```

        ```swift expect-error
        struct Refused: Error, CustomStringConvertible { var description: String { "refused \(a)" } }
        throw Refused()
        ```

        ```swift hide-code
        var table = Table(columns: ["layer", "error"])
        table.append(["conv2", Table.scientific(1.5e-7)])
        show(table, caption: "Errors.", label: "tab:errors")
        try show(try Images.diverging([-1, 0, 0.5, 1], width: 2, height: 2, scale: 2),
                 caption: "A hypersurface.", label: "fig:h")
        try show(Histogram([1, 2, 2, 3], title: "Counts", binCount: 3), caption: "A histogram.")
        ```

        ```swift no-run
        this is not Swift and is never compiled
        ```

        See \ref{tab:errors} and \ref{fig:h}.
        """#

    private func makeRunner(log: TestSupport.LogCollector? = nil, force: Bool = false) -> NotebookRunner {
        NotebookRunner(
            configuration: .init(
                projectRoot: TestSupport.repositoryRoot, workDirectory: Self.workDirectory,
                buildConfiguration: .debug, importableModules: TestSupport.projectModules, forcesRun: force,
                log: { log?.append($0) }
            ))
    }

    @Test func blocksShareStateAndOutputsAreCachedAndRendered() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TestSupport.write(Self.notebook, to: "outputs.md", in: folder)
        let notebook = try Notebook(contentsOf: url, path: "Notebooks/outputs.md")

        let first = try #require(try makeRunner(force: true).run([notebook])["outputs"])
        #expect(!first.isCached)
        let blocks = first.record.blocks
        #expect(blocks.count == 5)
        #expect(blocks[0].items == [OutputItem.text("a is 21\n")])
        #expect(blocks[1].items == [OutputItem.value("answer = 42")])
        #expect(blocks[2].items == [OutputItem.error(message: "refused 21", isExpected: true)])
        #expect(blocks[3].items.map(\.kind) == [.table, .image, .chart])
        #expect(blocks[3].items[0].table?.rows == [["conv2", "1.50e-07"]])
        #expect(blocks[4].items.isEmpty)
        for file in blocks[3].items.compactMap(\.file) {
            #expect(
                FileManager.default.fileExists(
                    atPath: first.outputDirectory.appendingPathComponent(file).path
                ))
        }

        // Unchanged: nothing is compiled or run the second time.
        let log = TestSupport.LogCollector()
        let second = try #require(try makeRunner(log: log).run([notebook])["outputs"])
        #expect(second.isCached)
        #expect(second.record == first.record)
        #expect(!log.lines.contains { $0.contains("compiling") || $0.contains("running") })

        // The page numbers the table and figures, links them, and hides what it should.
        let site = folder.appendingPathComponent("Site")
        let builder = SiteBuilder(
            configuration: .init(runner: makeRunner().configuration, siteDirectory: site))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Notebooks"), withIntermediateDirectories: true
        )
        try FileManager.default.moveItem(at: url, to: folder.appendingPathComponent("Notebooks/outputs.md"))
        // The path in messages differs from the one above, so this build compiles again once;
        // the byte-identical check below runs on cached outputs.
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        let snapshot = TestSupport.snapshot(of: site)
        _ = try builder.buildAll(in: folder.appendingPathComponent("Notebooks"))
        #expect(TestSupport.snapshot(of: site) == snapshot)
        let page = try String(contentsOf: site.appendingPathComponent("outputs.html"), encoding: .utf8)
        #expect(page.contains(#"<span class="caption-number">Table 1.</span> Errors."#))
        #expect(page.contains(#"<span class="caption-number">Figure 2.</span> A histogram."#))
        #expect(page.contains(##"<a class="ref" href="#fig-h">Figure 1</a>"##))
        #expect(page.contains(#"<img src="outputs/output-0001.png""#))
        #expect(page.contains("a is 21"))
        #expect(!page.contains("answer = 42"))
        #expect(page.contains("Error (expected)"))
        #expect(!page.contains("Table(columns"))
        #expect(snapshot["outputs/output-0001.png"] != nil)
        #expect(snapshot["outputs/output-0002.svg"] != nil)
    }

    @Test func compilerErrorsPointAtNotebookLines() throws {
        let source = """
            # Bad

            ```swift
            let a = 1
            let b: String = a
            ```

            - In a list, the code is indented:

              ```swift
              let c: Bool = a
              ```
            """
        let notebook = try Notebook(source: source, path: "Notebooks/compile-error.md")
        #expect {
            try makeRunner(force: true).run([notebook])
        } throws: { error in
            guard let errors = (error as? NotebookErrors)?.errors else { return false }
            return errors.count == 2 && errors.allSatisfy { $0.step == .build }
                && errors[0].description.hasPrefix("Notebooks/compile-error.md:5:17: error: ")
                && errors[1].description.hasPrefix("Notebooks/compile-error.md:11:17: error: ")
        }
    }

    @Test func thrownErrorsCrashesAndHangsNameTheirBlock() throws {
        let throwing = """
            ```swift
            print("fine")
            ```

            ```swift
            struct Oops: Error, CustomStringConvertible { var description: String { "oops" } }
            throw Oops()
            ```

            ```swift
            print("never runs")
            ```
            """
        let crashing =
            "Intro.\n\n```swift\nlet values = [1]\nlet index = CommandLine.arguments.count + 3\nprint(values[index])\n```\n"
        let hanging =
            "---\ntimeout: 2\n---\n```swift\nwhile true { Thread.sleep(forTimeInterval: 0.05) }\n```\n"
        let notebooks = try [
            Notebook(source: throwing, path: "Notebooks/throwing.md"),
            Notebook(source: crashing, path: "Notebooks/crashing.md"),
            Notebook(source: hanging, path: "Notebooks/hanging.md"),
        ]
        let start = Date()
        do {
            _ = try makeRunner(force: true).run(notebooks)
            Issue.record("the run should have failed")
        } catch let error as NotebookErrors {
            let byFile = Dictionary(uniqueKeysWithValues: error.errors.map { ($0.file, $0) })
            #expect(error.errors.allSatisfy { $0.step == .run })
            #expect(byFile["Notebooks/throwing.md"]?.line == 5)
            #expect(byFile["Notebooks/throwing.md"]?.message == "the block threw an error: oops")
            #expect(byFile["Notebooks/crashing.md"]?.line == 3)
            #expect(byFile["Notebooks/crashing.md"]?.message == "the block crashed: Index out of range")
            #expect(byFile["Notebooks/hanging.md"]?.line == 4)
            #expect(byFile["Notebooks/hanging.md"]?.message.contains("time limit of 2 s") == true)
        }
        #expect(Date().timeIntervalSince(start) < 120)
    }
}
