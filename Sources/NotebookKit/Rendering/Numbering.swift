import Foundation
import NotebookSupport

/// Something a cross-reference can point at: an equation, figure or table.
struct ReferenceTarget: Hashable, Sendable {
    /// "Equation", "Figure" or "Table".
    var kind: String
    /// The number as printed, e.g. `3` (or a custom `\tag`).
    var number: String
    /// The element id on the page.
    var anchor: String
    /// The line that defined the label, for duplicate-label messages.
    var line: Int
    /// The paper's number for the same equation (`\paper{8}` → `8`), printed beside ours.
    var paperNumber: String? = nil

    /// How a reference prints it: `(3)` for `\eqref`, `Equation (3)` or `Figure 2` for `\ref`;
    /// an equation with a paper number adds it, e.g. `(3) [paper Eq. 8]`.
    func referenceText(isEquation: Bool) -> String {
        let paper = paperNumber.map { " [paper Eq. \($0)]" } ?? ""
        if isEquation { return "(\(number))" + paper }
        return kind == "Equation" ? "Equation (\(number))" + paper : "\(kind) \(number)"
    }
}

/// A display equation after numbering: what KaTeX gets and where it is anchored.
struct PreparedEquation: Hashable, Sendable {
    /// The TeX sent to KaTeX, with `\tag{n}` added and `\label{…}` removed.
    var tex: String
    /// The equation number as printed, when it has one.
    var number: String?
    /// The element id.
    var anchor: String?
    /// The paper's number for the same equation, from `\paper{…}`.
    var paperNumber: String? = nil
}

/// Numbers a notebook's display equations, figures and tables, and collects their labels.
struct Numbering {
    /// The prepared TeX per math span (inline spans unchanged).
    var equations: [PreparedEquation] = []
    /// Labels by name.
    var targets: [String: ReferenceTarget] = [:]
    /// Figure or table number and anchor per (block, item).
    var items: [ItemPosition: ReferenceTarget] = [:]

    /// The position of an output item.
    struct ItemPosition: Hashable, Sendable {
        var block: Int
        var item: Int
    }

    /// Numbers `notebook`'s equations and the figures and tables of `record` that are shown.
    ///
    /// - Throws: ``NotebookError`` for a label used twice, `\label` in inline math and
    ///   references to unknown labels.
    init(notebook: Notebook, record: RunRecord?) throws {
        var equationCount = 0
        for span in notebook.markdown.math {
            try number(span, count: &equationCount, notebook: notebook)
        }
        try numberOutputs(of: notebook, record: record)
        try checkReferences(in: notebook)
    }

    /// Numbers one math span (display math gets the next number unless `\notag`ged or tagged),
    /// defines its label and adds its prepared TeX.
    private mutating func number(_ span: MathSpan, count equationCount: inout Int, notebook: Notebook) throws
    {
        guard span.isDisplay else {
            if span.tex.contains("\\label{") {
                throw NotebookError(
                    file: notebook.path, line: span.line, column: span.column,
                    message: "\\label is only allowed in display math ($$…$$)"
                )
            }
            equations.append(PreparedEquation(tex: span.tex))
            return
        }
        var tex = span.tex
        let label = Self.extract("label", from: &tex)
        let paper = Self.extract("paper", from: &tex)
        var isNumbered = true
        for command in ["\\notag", "\\nonumber"] where tex.contains(command) {
            tex = tex.replacingOccurrences(of: command, with: "")
            isNumbered = false
        }
        var number: String?
        if let tag = Self.customTag(in: tex) {
            number = tag
        } else if isNumbered {
            equationCount += 1
            number = String(equationCount)
            tex += " \\tag{\(equationCount)}"
        }
        if let paper {
            guard let shown = number else {
                throw NotebookError(
                    file: notebook.path, line: span.line, column: span.column,
                    message: "\\paper{\(paper)} on an equation without a number (\\notag); "
                        + "remove one of them")
            }
            Self.removeTags(from: &tex)
            tex += " \\tag*{(\(shown))\\quad[paper Eq.~\(paper)]}"
        }
        var anchor: String?
        if let number {
            anchor = label.map { HTML.slug($0) } ?? "equation-\(HTML.slug(number))"
            if let label {
                try define(
                    label,
                    ReferenceTarget(
                        kind: "Equation", number: number, anchor: anchor ?? "", line: span.line,
                        paperNumber: paper
                    ), notebook: notebook)
            }
        } else if let label {
            throw NotebookError(
                file: notebook.path, line: span.line, column: span.column,
                message: "equation labelled '\(label)' has no number (\\notag); remove the "
                    + "label or the \\notag"
            )
        }
        equations.append(
            PreparedEquation(tex: tex, number: number, anchor: anchor, paperNumber: paper))
    }

    /// Numbers the figures and tables of the blocks whose outputs are shown and defines their
    /// labels.
    private mutating func numberOutputs(of notebook: Notebook, record: RunRecord?) throws {
        var figureCount = 0
        var tableCount = 0
        for cell in notebook.cells where cell.options.showsOutput {
            guard let record, cell.index < record.blocks.count else { continue }
            for (itemIndex, item) in record.blocks[cell.index].items.enumerated() {
                let kind: String
                let number: Int
                switch item {
                case .image, .chart:
                    figureCount += 1
                    (kind, number) = ("Figure", figureCount)
                case .table:
                    tableCount += 1
                    (kind, number) = ("Table", tableCount)
                case .text, .value, .error:
                    continue
                }
                let label = item.label
                let anchor = label.map { HTML.slug($0) } ?? "\(kind.lowercased())-\(number)"
                let target = ReferenceTarget(
                    kind: kind, number: String(number), anchor: anchor, line: cell.fenceLine
                )
                items[ItemPosition(block: cell.index, item: itemIndex)] = target
                if let label { try define(label, target, notebook: notebook) }
            }
        }
    }

    /// Throws for the first reference to a label the notebook does not define.
    private func checkReferences(in notebook: Notebook) throws {
        for reference in notebook.markdown.references where targets[reference.label] == nil {
            let known = targets.keys.sorted().joined(separator: ", ")
            throw NotebookError(
                file: notebook.path, line: reference.line, column: reference.column,
                message: "unknown label '\(reference.label)' in a reference; "
                    + (known.isEmpty ? "this notebook defines no labels" : "known labels: \(known)")
            )
        }
    }

    private mutating func define(
        _ label: String, _ target: ReferenceTarget, notebook: Notebook
    ) throws {
        if let existing = targets[label] {
            throw NotebookError(
                file: notebook.path, line: target.line,
                message: "label '\(label)' is already used on line \(existing.line)"
            )
        }
        targets[label] = target
    }

    /// Removes `\<command>{…}` (`\label`, `\paper`) from `tex` and returns its argument.
    private static func extract(_ command: String, from tex: inout String) -> String? {
        guard let start = tex.range(of: "\\\(command){"),
            let end = tex[start.upperBound...].firstIndex(of: "}")
        else { return nil }
        let label = String(tex[start.upperBound..<end]).trimmingCharacters(in: .whitespaces)
        tex.removeSubrange(start.lowerBound...end)
        return label
    }

    /// Removes every `\tag{…}` and `\tag*{…}`.
    private static func removeTags(from tex: inout String) {
        while let start = tex.range(of: "\\tag{") ?? tex.range(of: "\\tag*{"),
            let end = tex[start.upperBound...].firstIndex(of: "}")
        {
            tex.removeSubrange(start.lowerBound...end)
        }
    }

    /// The text of a `\tag{…}` the author wrote.
    private static func customTag(in tex: String) -> String? {
        guard let start = tex.range(of: "\\tag{") ?? tex.range(of: "\\tag*{"),
            let end = tex[start.upperBound...].firstIndex(of: "}")
        else { return nil }
        return String(tex[start.upperBound..<end])
    }
}
