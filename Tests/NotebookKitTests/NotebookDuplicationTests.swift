import Foundation
import Testing

@testable import NotebookKit

/// `Scripts/check-notebook-duplicates.sh`: no run of six identical Swift lines in two notebooks.
@Suite struct NotebookDuplicationTests {
    static let script = TestSupport.repositoryRoot.appendingPathComponent(
        "Scripts/check-notebook-duplicates.sh")

    static func check(_ folder: URL) throws -> Subprocess.Result {
        try Subprocess(executable: "/bin/sh", arguments: [script.path, folder.path]).run()
    }

    @Test func courseHasNoRepeatedBlocks() throws {
        let result = try Self.check(TestSupport.repositoryRoot.appendingPathComponent("Notebooks"))
        #expect(result.isSuccess, "\(String(decoding: result.errorOutput, as: UTF8.self))")
    }

    @Test func scriptFindsSixSharedLinesAndNotFive() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shared = (1...6).map { "let value\($0) = \($0)" }
        func notebook(_ lines: [String], _ other: String) -> String {
            "# Page\n\n```swift\n\(other)\n" + lines.joined(separator: "\n")
                + "\n```\n\nText.\n\n```text\nlet a = 1\n```\n"
        }
        try TestSupport.write(notebook(shared, "let first = 0"), to: "a.md", in: folder)
        try TestSupport.write(notebook(shared.map { "    " + $0 }, "let second = 0"), to: "b.md", in: folder)
        let repeated = try Self.check(folder)
        #expect(!repeated.isSuccess)
        let message = String(decoding: repeated.output + repeated.errorOutput, as: UTF8.self)
        #expect(message.contains("a.md:5 and b.md:5"), "\(message)")

        try TestSupport.write(
            notebook(Array(shared.prefix(5)) + ["let different = 7"], "let second = 0"), to: "b.md",
            in: folder)
        let distinct = try Self.check(folder)
        #expect(distinct.isSuccess, "\(String(decoding: distinct.errorOutput, as: UTF8.self))")
    }
}
