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
}
