import Foundation

extension RenderStep {
    /// Where a typesetting request came from, for KaTeX's error messages.
    private struct MathOwner {
        var notebook: Notebook
        var line: Int
        var column: Int?
        var source: String
    }

    /// Typesets the equations and output math of all pages in one KaTeX process.
    func typeset(_ prepared: inout [Prepared]) throws {
        var requests: [Typesetter.Request] = []
        var owners: [MathOwner] = []
        for item in prepared {
            collectRequests(of: item, into: &requests, owners: &owners)
        }
        let start = Date()
        let html: [String]
        do {
            html = try Typesetter().typeset(requests)
        } catch let failure as Typesetter.Failure {
            let owner = owners[failure.index]
            throw NotebookError(
                file: owner.notebook.path, line: owner.line, column: owner.column,
                message: "KaTeX cannot typeset \(owner.source): \(failure.message)")
        }
        configuration.runner.log(
            String(
                format: "typeset %d equations in %.2f s", requests.count,
                Date().timeIntervalSince(start)))
        var offset = 0
        for index in prepared.indices {
            let equations = prepared[index].numbering.equations.count
            prepared[index].mathHTML = Array(html[offset..<(offset + equations)])
            offset += equations
            let spans = prepared[index].outputMath.spans.count
            prepared[index].outputMath.setHTML(html[offset..<(offset + spans)])
            offset += spans
        }
    }

    /// The requests of one notebook: its equations, then its output math.
    private func collectRequests(
        of item: Prepared, into requests: inout [Typesetter.Request], owners: inout [MathOwner]
    ) {
        let macros = item.notebook.frontMatter.macros
        for (index, equation) in item.numbering.equations.enumerated() {
            let span = item.notebook.markdown.math[index]
            requests.append(
                Typesetter.Request(tex: equation.tex, isDisplay: span.isDisplay, macros: macros))
            let delimiter = span.isDisplay ? "$$" : "$"
            owners.append(
                MathOwner(
                    notebook: item.notebook, line: span.line, column: span.column,
                    source: delimiter + span.tex + delimiter))
        }
        for span in item.outputMath.spans {
            requests.append(Typesetter.Request(tex: span.tex, isDisplay: false, macros: macros))
            owners.append(
                MathOwner(
                    notebook: item.notebook, line: span.line, column: nil,
                    source: "$\(span.tex)$ (\(span.place))"))
        }
    }
}
