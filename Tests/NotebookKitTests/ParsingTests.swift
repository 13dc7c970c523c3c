import Foundation
import MarkdownAST
import Testing

@testable import NotebookKit

@Suite("Parsing notebooks")
struct ParsingTests {
    @Test func frontMatterFieldsAreRead() throws {
        let source = """
            ---
            title: Modes
            description: All five modes.
            order: 3
            timeout: 90
            inputs: [Training/weights.safetensors]
            raw-html: true
            macros: {'\\R': '\\mathbb{R}'}
            ---
            # Heading
            """
        let notebook = try Notebook(source: source, path: "Notebooks/modes.md")
        #expect(
            notebook.frontMatter
                == FrontMatter(
                    title: "Modes", description: "All five modes.", order: 3, timeout: 90,
                    inputs: ["Training/weights.safetensors"], allowsRawHTML: true,
                    macros: ["\\R": "\\mathbb{R}"]
                ))
        #expect(notebook.title == "Modes")
        #expect(notebook.name == "modes")
        // The front matter's lines stay as empty lines: the heading is still on line 10.
        #expect(notebook.document.blocks.first?.range.lowerLine == 10)
    }

    @Test func titleFallsBackToFirstHeadingThenFileName() throws {
        let withHeading = try Notebook(source: "# The $x_n$ story\n\ntext\n", path: "a/b.md")
        #expect(withHeading.title == "The x_n story")
        let bare = try Notebook(source: "just text\n", path: "a/plain.md")
        #expect(bare.title == "plain")
    }

    @Test(arguments: [
        ("swift", BlockOptions()),
        (
            "swift no-run",
            {
                var o = BlockOptions()
                o.isRun = false
                return o
            }()
        ),
        (
            "swift hide-code",
            {
                var o = BlockOptions()
                o.showsCode = false
                return o
            }()
        ),
        (
            "swift hide-output",
            {
                var o = BlockOptions()
                o.showsOutput = false
                return o
            }()
        ),
        (
            "swift hide",
            {
                var o = BlockOptions()
                o.showsCode = false
                o.showsOutput = false
                return o
            }()
        ),
        (
            "swift expect-error",
            {
                var o = BlockOptions()
                o.expectsError = true
                return o
            }()
        ),
        (
            "swift  hide-code   expect-error",
            {
                var o = BlockOptions()
                o.showsCode = false
                o.expectsError = true
                return o
            }()
        ),
    ])
    func blockOptionsAreParsed(info: String, expected: BlockOptions) throws {
        let notebook = try Notebook(source: "Text\n\n```\(info)\nlet a = 1\n```\n", path: "x.md")
        let cell = try #require(notebook.cells.first)
        #expect(cell.options == expected)
        #expect(cell.code == "let a = 1\n")
        #expect(cell.fenceLine == 3)
        #expect(cell.codeLine == 4)
    }

    @Test func onlySwiftBlocksAreCells() throws {
        let source = """
            ```swift
            let a = 1
            ```

            ```python
            a = 1
            ```

            ```swiftui
            Text("no")
            ```

                let indented = true

            ~~~swift
            let b = a
            ~~~
            """
        let notebook = try Notebook(source: source, path: "x.md")
        #expect(notebook.cells.map(\.fenceLine) == [1, 15])
        #expect(notebook.cells.map(\.index) == [0, 1])
    }

    @Test func unknownBlockOptionNamesItsLine() {
        let source = "intro\n\n```swift hide-everything\nlet a = 1\n```\n"
        #expect {
            try Notebook(source: source, path: "Notebooks/x.md")
        } throws: { error in
            let error = error as? NotebookError
            return error?.line == 3
                && error?.description.hasPrefix(
                    "Notebooks/x.md:3:1: error: "
                        + "unknown block option 'hide-everything'") == true
        }
    }

    @Test func contradictoryOptionsAreRejected() {
        #expect(throws: NotebookError.self) {
            try Notebook(source: "```swift no-run expect-error\nx\n```\n", path: "x.md")
        }
    }

    @Test func importsAreFoundAndDependenciesFollowThem() throws {
        let source = """
            ```swift
            import BackMap
            let a = 1
            ```

            ```swift no-run
            import LinearAlgebra
            ```
            """
        let notebook = try Notebook(source: source, path: "x.md")
        #expect(notebook.cells[0].importedModules == ["BackMap"])
        #expect(
            try ProgramGenerator(modules: TestSupport.projectModules).dependencies(of: notebook).map(\.name)
                == ["BackMap", "NotebookSupport"])
    }

    @Test func generatedProgramMapsBlocksToNotebookLines() throws {
        let source = """
            # T

            ```swift
            import BackMap
            let a = 1
            ```

            ```swift expect-error
            try check(a)
            ```

            ```swift no-run
            notCompiled()
            ```
            """
        let notebook = try Notebook(source: source, path: "Notebooks/t.md")
        let main = ProgramGenerator(modules: TestSupport.projectModules).mainSource(for: notebook)
        #expect(main.contains("import BackMap\n"))
        #expect(
            main.contains(
                """
                NotebookRuntime.beginBlock(0)
                #sourceLocation(file: "Notebooks/t.md", line: 4)

                let a = 1
                #sourceLocation()
                """))
        #expect(
            main.contains(
                """
                do {
                #sourceLocation(file: "Notebooks/t.md", line: 9)
                try check(a)
                #sourceLocation()
                """))
        #expect(!main.contains("notCompiled"))
        #expect(main.hasSuffix("NotebookRuntime.finish()\n"))
    }
}
