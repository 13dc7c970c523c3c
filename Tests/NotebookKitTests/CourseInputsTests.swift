import Foundation
import Testing

@testable import NotebookKit

/// A course page that reads a project folder directly (a string literal such as
/// `"Results/…"`) declares it under `inputs:`, so that its cached outputs are rebuilt when the
/// files there change. Without it the precision page kept showing a result file's old contents.
@Suite struct CourseInputsTests {
    /// Project folders whose files notebooks read at run time.
    static let dataFolders = ["Results", "Models"]

    static func notebooks() throws -> [URL] {
        let folder = TestSupport.repositoryRoot.appendingPathComponent("Notebooks")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" && $0.lastPathComponent != "README.md" }
    }

    /// The data folders a notebook's text names in a string literal.
    static func foldersRead(by body: String) -> [String] {
        dataFolders.filter { body.contains("\"\($0)/") }
    }

    @Test func everyFolderAPageReadsIsAnInput() throws {
        let pages = try Self.notebooks()
        #expect(!pages.isEmpty)
        for page in pages {
            let source = try String(contentsOf: page, encoding: .utf8)
            let (frontMatter, body) = try FrontMatter.split(source, file: page.lastPathComponent)
            for folder in Self.foldersRead(by: body) {
                let declared = frontMatter.inputs.contains { $0 == folder || $0.hasPrefix(folder + "/") }
                #expect(
                    declared, "\(page.lastPathComponent) reads \(folder)/ but does not list it under inputs:")
            }
        }
    }

    @Test func theCheckSeesALiteralPath() {
        #expect(
            Self.foldersRead(by: #"let file = root.appendingPathComponent("Results/\(name).json")"#) == [
                "Results"
            ])
        #expect(Self.foldersRead(by: "Results are frozen in `Results/`.").isEmpty)
    }
}
