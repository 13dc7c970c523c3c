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
        let hasOutputs =
            record.map {
                cell.index < $0.blocks.count && !$0.blocks[cell.index].items.isEmpty
            } ?? false
        guard cell.options.showsCode || (cell.options.showsOutput && hasOutputs) else { return "" }
        var classes = ["cell"]
        if !cell.options.isRun { classes.append("not-run") }
        var html =
            "<section class=\"\(classes.joined(separator: " "))\" "
            + "id=\"cell-\(cell.index + 1)\">\n"
        if cell.options.showsCode {
            let badge = cell.options.isRun ? "" : "<span class=\"badge\">not run</span>"
            let lines =
                cell.code.split(separator: "\n", omittingEmptySubsequences: false)
                .count - (cell.code.hasSuffix("\n") ? 1 : 0)
            html +=
                "<details class=\"code\"\(foldsCode(cell) ? "" : " open")>"
                + "<summary>Swift code, \(lines) line\(lines == 1 ? "" : "s")"
                + "\(cell.options.isRun ? "" : " (not run)")</summary>\n"
                + "<pre class=\"code swift\">\(badge)<code class=\"language-swift\">"
                + SwiftHighlighter.highlight(cell.code) + "</code></pre>\n</details>\n"
        }
        if cell.options.isRun, cell.options.showsOutput, let record,
            cell.index < record.blocks.count, !record.blocks[cell.index].items.isEmpty
        {
            html += "<div class=\"outputs\">\n"
            for (index, item) in record.blocks[cell.index].items.enumerated() {
                let target = numbering.items[Numbering.ItemPosition(block: cell.index, item: index)]
                html += renderItem(item, target: target)
            }
            html += "</div>\n"
        }
        return html + "</section>\n"
    }

    /// Output text with its math typeset (see ``OutputMath``).
    fileprivate func rich(_ text: String) -> String {
        outputMath?.render(text, targets: numbering.targets)
            ?? HTML.keepingNumbersWhole(HTML.escape(text))
    }

    fileprivate func renderItem(_ item: OutputItem, target: ReferenceTarget?) -> String {
        switch item.kind {
        case .text:
            return "<pre class=\"output\">\(HTML.escape(item.text ?? ""))</pre>\n"
        case .value:
            return "<pre class=\"output value\">\(HTML.escape(item.text ?? ""))</pre>\n"
        case .error:
            let expected = item.isExpected == true
            return "<div class=\"output error\(expected ? " expected" : "")\" role=\"note\">"
                + "<strong>\(expected ? "Error (expected)" : "Error")</strong>"
                + "<pre>\(HTML.escape(item.text ?? ""))</pre></div>\n"
        case .table:
            return renderTable(item, target: target)
        case .image, .chart:
            let file = item.file ?? ""
            let altText = (item.alt ?? item.caption).map { outputMath?.plainText($0) ?? $0 } ?? ""
            let id = target.map { " id=\"\($0.anchor)\"" } ?? ""
            if item.kind == .chart, let svg = inlineChart(file: file, label: altText) {
                return "<figure class=\"chart\"\(id)>\n\(svg)\n" + caption(item, target: target)
                    + "</figure>\n"
            }
            let width = item.displayWidth.map { " width=\"\($0)\"" } ?? ""
            return "<figure\(id)>\n"
                + "<img src=\"\(HTML.escape(assetFolder + file))\" alt=\"\(HTML.escape(altText))\""
                + "\(width)>\n" + caption(item, target: target) + "</figure>\n"
        }
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
        svg.replaceSubrange(
            open, with: "<svg role=\"img\" aria-label=\"\(HTML.escape(label))\" ")
        return svg.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    fileprivate func renderTable(_ item: OutputItem, target: ReferenceTarget?) -> String {
        let columns = item.columns ?? []
        let rows = item.rows ?? []
        let numeric = columns.indices.map { column in
            !rows.isEmpty
                && rows.allSatisfy { row in
                    column >= row.count || Self.isNumber(row[column])
                }
        }
        var html = "<figure class=\"table\"\(target.map { " id=\"\($0.anchor)\"" } ?? "")>\n"
        html += caption(item, target: target)
        html += "<table>\n<thead><tr>"
        for (index, column) in columns.enumerated() {
            html += "<th scope=\"col\"\(numeric[index] ? " class=\"number\"" : "")>\(rich(column))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                let isNumber = index < numeric.count && numeric[index]
                html += "<td\(isNumber ? " class=\"number\"" : "")>\(rich(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</figure>\n"
    }

    /// Whether a table cell reads as a number: `1.5`, `-1.89e-15`, `−3`, `85.08%`, `2×`.
    static func isNumber(_ cell: String) -> Bool {
        var text = cell.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
        for suffix in ["%", "×", " s", " ms"] where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count))
        }
        return !text.isEmpty && Double(text) != nil
    }

    fileprivate func caption(_ item: OutputItem, target: ReferenceTarget?) -> String {
        guard let target else { return "" }
        let text = item.caption.map { " " + rich($0) } ?? ""
        return "<figcaption><span class=\"caption-number\">\(target.kind) \(target.number).</span>"
            + "\(text)</figcaption>\n"
    }
}
