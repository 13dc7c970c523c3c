import Foundation
import Testing

@testable import NotebookKit

@Suite("Malformed notebooks")
struct MalformedNotebookTests {
    /// Parses `source` and returns the error it must throw.
    private func error(parsing source: String) throws -> NotebookError {
        do {
            _ = try Notebook(source: source, path: "Notebooks/bad.md")
        } catch let error as NotebookError {
            return error
        }
        Issue.record("parsing succeeded but should have failed")
        return NotebookError(file: "", message: "")
    }

    @Test(arguments: [
        ("```swift\nlet a = 1\n", 3),
        ("~~~~swift\nlet a = 1\n~~~\n", 3),
        ("- item\n\n  ```swift\n  let a = 1\n- next\n", 5),
    ])
    func unterminatedFenceNamesItsLine(source: String, line: Int) throws {
        let error = try error(parsing: "# Title\n\n" + source)
        #expect(error.line == line)
        #expect(error.message.contains("is never closed"))
        #expect(error.description.hasPrefix("Notebooks/bad.md:\(line):"))
    }

    @Test func closedFencesAreAccepted() throws {
        let notebook = try Notebook(
            source: "```swift\nlet a = 1\n```\n\n````swift\n```\n````\n\n> ```swift\n> let b = 2\n> ```\n",
            path: "x.md"
        )
        #expect(notebook.cells.count == 3)
    }

    @Test func invalidYAMLNamesItsLine() throws {
        let error = try error(parsing: "---\ntitle: A\ndescription: [unclosed\n---\nBody\n")
        #expect(error.message.hasPrefix("invalid YAML in front matter"))
        #expect(error.line != nil)
        #expect((error.line ?? 0) >= 3)
    }

    @Test func unclosedFrontMatterIsReported() throws {
        let error = try error(parsing: "---\ntitle: A\n\n# Body\n")
        #expect(error.line == 1)
        #expect(error.message.contains("never closed"))
    }

    @Test func unknownFrontMatterKeyIsReported() throws {
        let error = try error(parsing: "---\ntitle: A\ntimout: 5\n---\n")
        #expect(error.line == 3)
        #expect(error.message.hasPrefix("unknown front matter key 'timout'"))
    }

    @Test func wrongTypeInFrontMatterIsReported() throws {
        let error = try error(parsing: "---\norder: first\n---\n")
        #expect(error.line == 2)
        #expect(error.message == "front matter key 'order' must be an integer, got 'first'")
    }

    @Test func nonUTF8BytesAreReportedWithTheirLine() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("latin1.md")
        try Data("# Title\n\nna".utf8 + [0xEF, 0x76, 0x65] + Data("\n".utf8)).write(to: url)
        #expect {
            try Notebook(contentsOf: url, path: "Notebooks/latin1.md")
        } throws: { error in
            let error = error as? NotebookError
            return error?.line == 3 && error?.message.contains("not valid UTF-8") == true
                && error?.description.hasPrefix("Notebooks/latin1.md:3: error:") == true
        }
    }

    @Test func missingFileIsReported() {
        let url = URL(fileURLWithPath: "/nonexistent/notebook.md")
        #expect {
            try Notebook(contentsOf: url, path: "Notebooks/missing.md")
        } throws: { error in
            (error as? NotebookError)?.description
                == "Notebooks/missing.md: error: no such notebook file"
        }
    }
}
