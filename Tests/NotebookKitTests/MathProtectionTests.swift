import MarkdownAST
import Testing

@testable import NotebookKit

@Suite("Math protection")
struct MathProtectionTests {
    /// Equations from the paper (and its notes) whose underscores, brackets, asterisks and
    /// backslashes cmark would otherwise read as emphasis, links or escapes.
    static let paperEquations = [
        #"[\mathbf{x}_n;\mathbf{x}_b]"#,
        #"x_n; x_b"#,
        #"c=\langle x \mid H^I\rangle + \langle x_b \mid H^b\rangle"#,
        #"\mathbf{H}^{Adj,I}_{l,s,i}(\tfrac{[\mathbf{x}_n;\mathbf{x}_b]}{8})"#,
        #"\mathbf{w}'=\frac{\gamma\,\mathbf{w}}{\sqrt{\sigma^2+\epsilon}}"#,
        #"J_F^*[x_b] w_{l,*,*,j,i}"#,
        #"H_{l,i} = \sum_s H_{l,s,i} = \sum_j H_{l,j,i}"#,
    ]

    @Test(arguments: paperEquations)
    func inlineMathSurvivesMarkdown(tex: String) throws {
        let notebook = try Notebook(source: "The joint input $\(tex)$ *is* here.\n", path: "x.md")
        #expect(notebook.markdown.math.map(\.tex) == [tex])
        #expect(notebook.markdown.math.first?.isDisplay == false)
        let nodes = notebook.document.root.preOrder
        // Only the real emphasis: nothing inside the math became emphasis, a link or code.
        #expect(nodes.filter { $0.kind == .emphasis }.count == 1)
        #expect(!nodes.contains { if case .link = $0.kind { true } else { false } })
        #expect(notebook.plainText(of: notebook.document.root) == "The joint input \(tex) is here.")
    }

    @Test(arguments: paperEquations)
    func displayMathSurvivesMarkdown(tex: String) throws {
        let source = "Before\n\n$$\n\(tex)\n\\label{eq:one}\n$$\n\nAfter \\eqref{eq:one}.\n"
        let notebook = try Notebook(source: source, path: "x.md")
        let span = try #require(notebook.markdown.math.first)
        #expect(span.isDisplay)
        #expect(span.tex == "\n\(tex)\n\\label{eq:one}\n")
        #expect(span.line == 3)
        #expect(
            notebook.markdown.references == [
                CrossReference(label: "eq:one", isEquation: true, line: 8, column: 7)
            ])
    }

    @Test func linesAfterMultiLineMathKeepTheirNumbers() throws {
        let source = "Text $a\nb$ and\n\n$$x\n=\ny$$\n\n```swift\nlet a = 1\n```\n\n## Later\n"
        let notebook = try Notebook(source: source, path: "x.md")
        #expect(notebook.cells.first?.fenceLine == 8)
        let heading = notebook.document.blocks.last
        #expect(heading?.kind == .heading(level: 2))
        #expect(heading?.range.lowerLine == 12)
        #expect(notebook.markdown.math.map(\.line) == [1, 4])
    }

    @Test(arguments: [
        ("costs $5 and $10 today", 0),
        ("escaped \\$x$ is text", 0),
        ("`code $x$` stays code", 0),
        ("``a ` $x$ `` code with a backtick", 0),
        ("$ x$ has a space after the opening dollar", 0),
        ("one $x$ two $y_1$", 2),
    ])
    func dollarSignsThatAreNotMath(text: String, mathCount: Int) throws {
        let notebook = try Notebook(source: text + "\n", path: "x.md")
        #expect(notebook.markdown.math.count == mathCount)
    }

    @Test func codeBlocksAreNotScanned() throws {
        let source = "```swift\nlet price = \"$x_1$\"\n```\n\n    indented $y$\n"
        let notebook = try Notebook(source: source, path: "x.md")
        #expect(notebook.markdown.math.isEmpty)
        #expect(notebook.cells.first?.code == "let price = \"$x_1$\"\n")
    }

    @Test func unterminatedDisplayMathIsAnErrorWithItsLine() {
        let source = "Intro\n\nSee $$x_n + 1\n\nnext paragraph\n"
        #expect {
            try Notebook(source: source, path: "Notebooks/x.md")
        } throws: { error in
            guard let error = error as? NotebookError else { return false }
            return error.line == 3 && error.column == 5
                && error.message.contains("display math '$$' is never closed")
        }
    }
}
