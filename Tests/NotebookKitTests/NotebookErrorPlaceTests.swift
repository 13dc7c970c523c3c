import Diagnostics
import Testing

@testable import NotebookKit

/// ``NotebookError`` keeps its place as the shared ``Place`` and its text as before.
@Suite("Notebook errors and their place")
struct NotebookErrorPlaceTests {
    @Test func theDescriptionIsThePlaceThenTheStepAndMessage() {
        let cases: [(NotebookError, String)] = [
            (NotebookError(file: "x.md", message: "m"), "x.md: error: m"),
            (NotebookError(file: "x.md", line: 3, message: "m"), "x.md:3: error: m"),
            (
                NotebookError(file: "x.md", line: 3, column: 7, step: .render, message: "m"),
                "x.md:3:7: error: render: m"
            ),
            (NotebookError(file: "x.md", column: 7, step: .site, message: "m"), "x.md: error: site: m"),
        ]
        for (error, text) in cases {
            #expect(error.description == text)
            #expect(
                error.description == "\(error.place): error: \(error.step.map { "\($0.rawValue): " } ?? "")m")
        }
    }

    @Test func fileLineAndColumnReadAndWriteThePlace() {
        var error = NotebookError(at: Place(file: "a.md", line: 1), message: "m")
        #expect(error.file == "a.md" && error.line == 1 && error.column == nil)
        error.line = 9
        error.column = 2
        error.file = "b.md"
        #expect(error.place == Place(file: "b.md", line: 9, column: 2, parts: []))
        #expect(error == NotebookError(file: "b.md", line: 9, column: 2, message: "m"))
        #expect(error.attributed(to: .parse).description == "b.md:9:2: error: parse: m")
    }
}
