import Foundation
import MarkdownAST
import NotebookSupport

/// A link to another page of the site.
struct PageLink: Hashable, Sendable {
    var title: String
    var href: String
}

/// Renders one notebook as a standalone HTML page.
///
/// Prose comes from walking libcmark's tree: text is escaped, math tokens become KaTeX HTML,
/// references become links, and raw HTML passes only when the front matter opts in. Each Swift
/// block becomes its code and its outputs; figures and tables get numbers and captions.
struct PageRenderer {
    var notebook: Notebook
    var record: RunRecord?
    var numbering: Numbering
    /// KaTeX HTML per math span.
    var mathHTML: [String]
    /// Where the page's output files live, relative to the page (e.g. `x/`).
    var assetFolder: String
    var siteTitle: String
    var previous: PageLink?
    var next: PageLink?
    /// The notebook's own file name, copied into ``assetFolder`` for readers to download.
    var sourceFileName: String { HTML.urlPath(notebook.name) + ".md" }
    /// Site paths of images the prose references by relative path (copied by the site
    /// builder), by their Markdown destination.
    var imageSources: [String: String] = [:]

    /// A table-of-contents entry.
    fileprivate struct Heading {
        var level: Int
        var html: String
        var anchor: String
    }

    /// The page.
    func render() -> String {
        var anchors = Set<String>(numbering.items.values.map(\.anchor))
        anchors.formUnion(numbering.equations.compactMap(\.anchor))
        anchors.formUnion(notebook.cells.map { "cell-\($0.index + 1)" })
        var headings: [Heading] = []
        var body = ""
        for block in notebook.document.blocks {
            body += renderBlock(block, headings: &headings, anchors: &anchors)
        }
        let toc = headings.filter { $0.level == 2 || $0.level == 3 }
        var tocHTML = ""
        if !toc.isEmpty {
            tocHTML = "<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n"
            for heading in toc {
                tocHTML +=
                    "<li class=\"toc-level-\(heading.level)\"><a href=\"#\(heading.anchor)\">"
                    + "\(heading.html)</a></li>\n"
            }
            tocHTML += "</ol>\n</nav>\n"
        }
        let description =
            notebook.frontMatter.description.isEmpty
            ? ""
            : "<p class=\"description\">\(HTML.escape(notebook.frontMatter.description))</p>\n"
        return SiteTemplate.page(
            title: "\(notebook.title) · \(siteTitle)",
            navigation: navigation(),
            content: "<header>\n<h1 class=\"title\">\(HTML.escape(notebook.title))</h1>\n"
                + description + "</header>\n" + tocHTML + "<main>\n" + body + "</main>\n"
        )
    }
}

// MARK: - Blocks

extension PageRenderer {
    fileprivate func navigation() -> String {
        var links = ["<a href=\"index.html\">\(HTML.escape(siteTitle))</a>"]
        if let previous {
            links.append(
                "<a rel=\"prev\" href=\"\(HTML.escape(previous.href))\">← "
                    + "\(HTML.escape(previous.title))</a>")
        }
        if let next {
            links.append(
                "<a rel=\"next\" href=\"\(HTML.escape(next.href))\">"
                    + "\(HTML.escape(next.title)) →</a>")
        }
        links.append(
            "<a class=\"source\" href=\"\(HTML.escape(assetFolder + sourceFileName))\">"
                + "Markdown source</a>")
        return links.joined(separator: "\n")
    }

    fileprivate func renderBlock(
        _ node: MarkdownNode, headings: inout [Heading], anchors: inout Set<String>
    ) -> String {
        switch node.kind {
        case .heading(let level):
            let inner = renderInlines(node.children)
            var anchor = HTML.slug(stripTokens(node.plainText))
            if anchors.contains(anchor) {
                var suffix = 2
                while anchors.contains("\(anchor)-\(suffix)") { suffix += 1 }
                anchor = "\(anchor)-\(suffix)"
            }
            anchors.insert(anchor)
            headings.append(Heading(level: level, html: inner, anchor: anchor))
            return "<h\(level) id=\"\(anchor)\">\(inner)</h\(level)>\n"
        case .paragraph:
            return "<p>\(renderInlines(node.children))</p>\n"
        case .blockQuote:
            let inner = node.children.map { renderBlock($0, headings: &headings, anchors: &anchors) }
            return "<blockquote>\n\(inner.joined())</blockquote>\n"
        case .list(let isOrdered, let start, let isTight):
            let tag = isOrdered ? "ol" : "ul"
            let startAttribute = isOrdered && start != 1 ? " start=\"\(start)\"" : ""
            var html = "<\(tag)\(startAttribute)>\n"
            for item in node.children {
                var inner = ""
                for child in item.children {
                    if isTight, child.kind == .paragraph {
                        inner += renderInlines(child.children)
                    } else {
                        inner += renderBlock(child, headings: &headings, anchors: &anchors)
                    }
                }
                html += "<li>\(inner)</li>\n"
            }
            return html + "</\(tag)>\n"
        case .item:
            let inner = node.children.map { renderBlock($0, headings: &headings, anchors: &anchors) }
            return "<li>\(inner.joined())</li>\n"
        case .codeBlock(let info, let literal):
            if let cell = notebook.cells.first(where: { $0.fenceLine == node.range.lowerLine }) {
                return renderCell(cell)
            }
            let language = info.split(separator: " ").first.map(String.init) ?? ""
            let classAttribute =
                language.isEmpty
                ? ""
                : " class=\"language-\(HTML.escape(language))\""
            return "<pre class=\"code\"><code\(classAttribute)>\(HTML.escape(literal))</code></pre>\n"
        case .htmlBlock(let literal):
            if notebook.frontMatter.allowsRawHTML { return literal }
            return "<pre class=\"escaped-html\">\(HTML.escape(literal))</pre>\n"
        case .thematicBreak:
            return "<hr>\n"
        default:
            return renderInlines([node])
        }
    }

    fileprivate func renderInlines(_ nodes: [MarkdownNode]) -> String {
        nodes.map(renderInline).joined()
    }

    fileprivate func renderInline(_ node: MarkdownNode) -> String {
        switch node.kind {
        case .text(let text):
            return replaceTokens(in: HTML.escape(text))
        case .softBreak:
            return "\n"
        case .lineBreak:
            return "<br>\n"
        case .code(let code):
            return "<code>\(HTML.escape(code))</code>"
        case .htmlInline(let html):
            return notebook.frontMatter.allowsRawHTML ? html : HTML.escape(html)
        case .emphasis:
            return "<em>\(renderInlines(node.children))</em>"
        case .strong:
            return "<strong>\(renderInlines(node.children))</strong>"
        case .link(let destination, let title):
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            return "<a href=\"\(HTML.escape(safeURL(destination)))\"\(titleAttribute)>"
                + "\(renderInlines(node.children))</a>"
        case .image(let destination, let title):
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            let source = imageSources[destination] ?? safeURL(destination)
            return "<img src=\"\(HTML.escape(source))\" "
                + "alt=\"\(HTML.escape(stripTokens(node.plainText)))\"\(titleAttribute)>"
        default:
            return renderInlines(node.children)
        }
    }

    /// Drops `javascript:` and similar URLs unless raw HTML is allowed.
    fileprivate func safeURL(_ url: String) -> String {
        guard !notebook.frontMatter.allowsRawHTML else { return url }
        let lowered = url.lowercased().trimmingCharacters(in: .whitespaces)
        for scheme in ["javascript:", "vbscript:", "data:text/html"] where lowered.hasPrefix(scheme) {
            return "#"
        }
        return url
    }

    /// Replaces math and reference tokens in escaped text by their HTML.
    fileprivate func replaceTokens(in text: String) -> String {
        var result = ""
        var token: (mark: Character, digits: String)?
        for character in text {
            if var current = token {
                if character == ProtectedMarkdown.endMark {
                    result += tokenHTML(mark: current.mark, index: Int(current.digits) ?? -1)
                    token = nil
                } else {
                    current.digits.append(character)
                    token = current
                }
                continue
            }
            switch character {
            case ProtectedMarkdown.mathMark, ProtectedMarkdown.referenceMark:
                token = (character, "")
            case ProtectedMarkdown.padding:
                continue
            default:
                result.append(character)
            }
        }
        return result
    }

    fileprivate func tokenHTML(mark: Character, index: Int) -> String {
        if mark == ProtectedMarkdown.mathMark {
            guard mathHTML.indices.contains(index) else { return "" }
            let span = notebook.markdown.math[index]
            guard span.isDisplay else { return mathHTML[index] }
            let anchor = numbering.equations[index].anchor.map { " id=\"\($0)\"" } ?? ""
            return "<span class=\"equation\"\(anchor)>\(mathHTML[index])</span>"
        }
        let references = notebook.markdown.references
        guard references.indices.contains(index),
            let target = numbering.targets[references[index].label]
        else { return "" }
        let text =
            references[index].isEquation
            ? "(\(target.number))"
            : "\(target.kind) \(target.kind == "Equation" ? "(\(target.number))" : target.number)"
        return "<a class=\"ref\" href=\"#\(target.anchor)\">\(HTML.escape(text))</a>"
    }
}

// MARK: - Cells

extension PageRenderer {
    fileprivate func renderCell(_ cell: Cell) -> String {
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
            html +=
                "<pre class=\"code swift\">\(badge)<code class=\"language-swift\">"
                + SwiftHighlighter.highlight(cell.code) + "</code></pre>\n"
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
            let width = item.displayWidth.map { " width=\"\($0)\"" } ?? ""
            let alt = HTML.escape(item.alt ?? item.caption ?? "")
            return "<figure\(target.map { " id=\"\($0.anchor)\"" } ?? "")>\n"
                + "<img src=\"\(HTML.escape(assetFolder + file))\" alt=\"\(alt)\"\(width)>\n"
                + caption(item, target: target) + "</figure>\n"
        }
    }

    fileprivate func renderTable(_ item: OutputItem, target: ReferenceTarget?) -> String {
        let columns = item.columns ?? []
        let rows = item.rows ?? []
        let numeric = columns.indices.map { column in
            !rows.isEmpty
                && rows.allSatisfy { row in
                    column >= row.count || Double(row[column].trimmingCharacters(in: .whitespaces)) != nil
                }
        }
        var html = "<figure class=\"table\"\(target.map { " id=\"\($0.anchor)\"" } ?? "")>\n"
        html += caption(item, target: target)
        html += "<table>\n<thead><tr>"
        for (index, column) in columns.enumerated() {
            html += "<th\(numeric[index] ? " class=\"number\"" : "")>\(HTML.escape(column))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                let isNumber = index < numeric.count && numeric[index]
                html += "<td\(isNumber ? " class=\"number\"" : "")>\(HTML.escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</figure>\n"
    }

    fileprivate func caption(_ item: OutputItem, target: ReferenceTarget?) -> String {
        guard let target else { return "" }
        let text = item.caption.map { " " + HTML.escape($0) } ?? ""
        return "<figcaption><span class=\"caption-number\">\(target.kind) \(target.number).</span>"
            + "\(text)</figcaption>\n"
    }
}
