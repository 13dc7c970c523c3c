import Foundation
import Testing

@testable import NotebookKit

/// Errors pick up the step they left and keep the notebook's place.
@Suite("Pipeline steps")
struct PipelineStepTests {
    /// A step that throws what it is given.
    struct Throwing: PipelineStep {
        static let stage = PipelineStage.build
        func file(of input: any Error) -> String { "Notebooks/x.md" }
        func perform(_ input: any Error) throws -> Int { throw input }
    }

    struct Unplaced: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    @Test func aNotebookErrorGetsTheStepAndKeepsItsPlace() {
        let error = NotebookError(
            file: "Notebooks/x.md", line: 42, column: 7, message: "cannot find 'y' in scope")
        #expect {
            try Throwing()(error)
        } throws: { thrown in
            let thrown = thrown as? NotebookError
            return thrown?.step == .build && thrown?.line == 42 && thrown?.message == error.message
                && thrown?.description == "Notebooks/x.md:42:7: error: build: cannot find 'y' in scope"
        }
    }

    @Test func everyErrorOfAGroupGetsTheStep() {
        let errors = NotebookErrors([
            NotebookError(file: "a.md", line: 1, message: "one"),
            NotebookError(file: "b.md", line: 2, step: .parse, message: "two"),
        ])
        #expect {
            try Throwing()(errors)
        } throws: { thrown in
            (thrown as? NotebookErrors)?.errors.map(\.description)
                == ["a.md:1: error: build: one", "b.md:2: error: parse: two"]
        }
    }

    @Test func otherErrorsBecomeErrorsOfTheStepsNotebook() {
        #expect {
            try Throwing()(Unplaced())
        } throws: { thrown in
            (thrown as? NotebookError)?.description == "Notebooks/x.md: error: build: disk full"
        }
    }

    @Test func errorsOutsideTheStepsNameNoStep() {
        #expect(NotebookError(file: "x.md", line: 3, message: "m").description == "x.md:3: error: m")
    }

    @Test func theParseStepNamesItselfAndTheLine() throws {
        let folder = try TestSupport.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TestSupport.write("---\norder: first\n---\n# T\n", to: "bad.md", in: folder)
        #expect {
            try ParseStep()(ParseStep.Source(url: url, path: "Notebooks/bad.md"))
        } throws: { error in
            let error = error as? NotebookError
            return error?.step == .parse && error?.line == 2
                && error?.description.hasPrefix("Notebooks/bad.md:2: error: parse: ") == true
        }
        let good = try TestSupport.write("# Fine\n", to: "good.md", in: folder)
        #expect(try ParseStep()(ParseStep.Source(url: good, path: "Notebooks/good.md")).title == "Fine")
    }
}
