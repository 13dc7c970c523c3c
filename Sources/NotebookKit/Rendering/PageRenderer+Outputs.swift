import Foundation
import NotebookSupport

// MARK: - Cells

extension PageRenderer {
    /// Whether a block's code is shown folded: the block's `fold`/`unfold`, else the front
    /// matter's `fold-code`, else the site's default.
    func foldsCode(_ cell: Cell) -> Bool {
        cell.options.foldsCode ?? notebook.frontMatter.foldsCode ?? foldsCodeByDefault
    }

    func renderCell(_ cell: Cell) -> String {
        let items = record.map { cell.index < $0.blocks.count ? $0.blocks[cell.index].items : [] } ?? []
        guard cell.options.showsCode || (cell.options.showsOutput && !items.isEmpty) else { return "" }
        var code: CodeContext?
        if cell.options.showsCode {
            let lines =
                cell.code.split(separator: "\n", omittingEmptySubsequences: false)
                .count - (cell.code.hasSuffix("\n") ? 1 : 0)
            code = CodeContext(
                isOpen: !foldsCode(cell), lines: lines, isPlural: lines != 1,
                highlightedHTML: SwiftHighlighter.highlight(cell.code))
        }
        var outputs: String?
        if cell.options.isRun, cell.options.showsOutput, !items.isEmpty {
            outputs = items.enumerated().map { index, item in
                renderItem(
                    item, target: numbering.items[Numbering.ItemPosition(block: cell.index, item: index)])
            }.joined()
        }
        return Templates.render(
            .cell,
            CellContext(
                number: cell.index + 1, isNotRun: !cell.options.isRun, code: code, outputsHTML: outputs))
    }

    /// Output text with its math typeset (see ``OutputMath``): HTML, escaped where it is text.
    fileprivate func rich(_ text: String) -> String {
        outputMath?.render(text, targets: numbering.targets)
            ?? HTML.keepingNumbersWhole(HTML.escape(text))
    }

    fileprivate func renderItem(_ item: OutputItem, target: ReferenceTarget?) -> String {
        switch item {
        case .text(let text):
            return Templates.render(.text, ["text": text])
        case .value(let text):
            return Templates.render(.value, ["text": text])
        case .error(let message, let isExpected):
            return Templates.render(.error, ErrorContext(message: message, isExpected: isExpected))
        case .table(let table, let caption):
            return renderTable(table, caption: caption, target: target)
        case .image(let figure):
            return Templates.render(
                .image,
                ImageContext(
                    anchor: target?.anchor, src: assetFolder + figure.file, alt: altText(of: figure),
                    width: figure.displayWidth, caption: caption(figure.caption, target: target)))
        case .chart(let figure):
            let alt = altText(of: figure)
            guard let svg = inlineChart(file: figure.file, label: alt) else {
                return Templates.render(
                    .image,
                    ImageContext(
                        anchor: target?.anchor, src: assetFolder + figure.file, alt: alt,
                        width: figure.displayWidth, caption: caption(figure.caption, target: target)))
            }
            return Templates.render(
                .chart,
                ChartContext(
                    anchor: target?.anchor, svgHTML: svg, caption: caption(figure.caption, target: target)))
        }
    }

    /// A figure's alternative text, its math as plain text: the alt, else the caption.
    fileprivate func altText(of figure: OutputItem.Figure) -> String {
        (figure.alt ?? figure.caption.text).map { outputMath?.plainText($0) ?? $0 } ?? ""
    }

    /// A chart's SVG, read from the outputs and placed in the page so that its text and axes
    /// take the page's colours (dark mode); `nil` when the file cannot be read.
    fileprivate func inlineChart(file: String, label: String) -> String? {
        guard let outputDirectory, !file.isEmpty,
            let data = FileManager.default.contents(
                atPath: outputDirectory.appendingPathComponent(file).path)
        else { return nil }
        var svg = String(decoding: data, as: UTF8.self)
        if svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") {
            svg = String(svg[end.upperBound...])
        }
        guard let open = svg.range(of: "<svg ") else { return nil }
        svg.replaceSubrange(open, with: Templates.render(.chartLabel, ["label": label]))
        return svg.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    fileprivate func renderTable(_ table: Table, caption: OutputItem.Caption, target: ReferenceTarget?)
        -> String
    {
        let numeric = table.columns.indices.map(table.isNumberColumn)
        let columns = table.columns.enumerated().map { index, column in
            CellHTML(isNumber: numeric[index], html: rich(column))
        }
        let rows = table.cells.map { row in
            RowContext(
                cells: row.enumerated().map { index, cell in
                    CellHTML(
                        isNumber: index < numeric.count && numeric[index],
                        html: rich(OutputMath.text(of: cell)))
                })
        }
        return Templates.render(
            .table,
            TableContext(
                anchor: target?.anchor, caption: self.caption(caption, target: target), columns: columns,
                rows: rows))
    }

    /// The caption's number and text (math typeset); `nil` without a number.
    fileprivate func caption(_ caption: OutputItem.Caption, target: ReferenceTarget?) -> CaptionContext? {
        guard let target else { return nil }
        return CaptionContext(kind: target.kind, number: target.number, textHTML: caption.text.map(rich))
    }
}

// MARK: - Template contexts

private struct CodeContext {
    let isOpen: Bool
    let lines: Int
    let isPlural: Bool
    /// ``SwiftHighlighter``'s HTML (it escapes the code).
    let highlightedHTML: String
}

private struct CellContext {
    let number: Int
    let isNotRun: Bool
    let code: CodeContext?
    /// The outputs, each rendered by its template.
    let outputsHTML: String?
}

private struct ErrorContext {
    let message: String
    let isExpected: Bool
}

private struct CaptionContext {
    let kind: String
    let number: String
    /// The caption with its math typeset.
    let textHTML: String?
}

private struct ImageContext {
    let anchor: String?
    let src: String
    let alt: String
    let width: Int?
    let caption: CaptionContext?
}

private struct ChartContext {
    let anchor: String?
    /// The notebook's SVG chart.
    let svgHTML: String
    let caption: CaptionContext?
}

private struct CellHTML {
    let isNumber: Bool
    /// The header or cell text with its math typeset.
    let html: String
}

private struct RowContext {
    let cells: [CellHTML]
}

private struct TableContext {
    let anchor: String?
    let caption: CaptionContext?
    let columns: [CellHTML]
    let rows: [RowContext]
}
