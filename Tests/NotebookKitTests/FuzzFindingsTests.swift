import Foundation
import Testing

@testable import NotebookKit

/// What fuzzing the parsers found (docs/FUZZING.md), each now a clear error instead of a trap.
@Suite("Fuzzing findings")
struct FuzzFindingsTests {
    /// Yams 5 force-unwraps a mapping key that is not a scalar; the front matter refuses it first.
    @Test(arguments: ["inputs:\n ? - Models\n", "? [a, b]\n: 1\n", "title: x\nlist:\n  - { ? {a: 1} : 2 }\n"])
    func complexKeysInFrontMatterAreRefused(yaml: String) throws {
        #expect {
            _ = try Notebook(source: "---\n" + yaml + "---\n# Title\n", path: "Notebooks/bad.md")
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.message.contains("plain names") && error.line != nil
        }
    }

    /// Yams 5 overflows (and traps) reading a long YAML 1.1 base-60 integer; such a value is now
    /// text, so it is a fine title and a wrong-type error for `order`.
    @Test func baseSixtyNumbersAreText() throws {
        let value = "2211110089325938:92:2"
        let notebook = try Notebook(source: "---\ntitle: \(value)\n---\n# T\n", path: "Notebooks/x.md")
        #expect(notebook.frontMatter.title == value)
        #expect(throws: NotebookError.self) {
            _ = try Notebook(source: "---\norder: \(value)\n---\n# T\n", path: "Notebooks/x.md")
        }
        let ordered = try Notebook(source: "---\norder: 7\n---\n# T\n", path: "Notebooks/x.md")
        #expect(ordered.frontMatter.order == 7)
    }

    /// Yams loads nested values recursively; a deep nesting overflowed the stack. It is refused.
    @Test(arguments: [
        String(repeating: "{", count: 900), "list: " + String(repeating: "[", count: 200),
        String(repeating: "- ", count: 300) + "x",
    ])
    func deepNestingIsRefused(yaml: String) throws {
        #expect {
            _ = try Notebook(source: "---\n" + yaml + "\n---\n# T\n", path: "Notebooks/x.md")
        } throws: { error in
            (error as? NotebookError)?.message.contains("more than 64 deep") == true
        }
        #expect(FrontMatter.nestingDepth(of: "title: x\ninputs:\n  - Models\n  - [a, {b: 1}]\n") <= 4)
    }
}
