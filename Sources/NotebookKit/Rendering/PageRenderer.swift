import Foundation
import MarkdownAST
import NotebookSupport

/// A link to another page of the site.
struct PageLink: Hashable, Sendable {
    var title: String
    var href: String
}

/// A rendered page: its HTML and its text for search.
struct RenderedPage: Hashable, Sendable {
    var html: String
    var sections: [SearchSection]
}

/// Renders one notebook as a standalone HTML page.
///
/// Prose comes from walking libcmark's tree: text is escaped, math tokens become KaTeX HTML,
/// references become links, block quotes with a `[!KIND]` marker become callouts, and raw HTML
/// passes only when the front matter opts in. Each Swift block becomes its code (folded or not)
/// and its outputs; figures and tables get numbers and captions with typeset math.
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
    /// The sidebar's HTML.
    var sidebar = ""
    /// Whether code is folded when neither the block nor the front matter says.
    var foldsCodeByDefault = false
    /// Math in captions, table headers and cells, typeset.
    var outputMath: OutputMath?
    /// The folder holding the outputs' files (charts are read from it and inlined).
    var outputDirectory: URL?
    /// The notebook's own file name, copied into ``assetFolder`` for readers to download.
    var sourceFileName: String { HTML.urlPath(notebook.name) + ".md" }
    /// Site paths of images the prose references by relative path (copied by the site
    /// builder), by their Markdown destination.
    var imageSources: [String: String] = [:]

    /// A table-of-contents entry.
    struct Heading {
        var level: Int
        var html: String
        var anchor: String
    }

    /// The page and its sections for search.
    func render() -> RenderedPage {
        var anchors = Set<String>(numbering.items.values.map(\.anchor))
        anchors.formUnion(numbering.equations.compactMap(\.anchor))
        anchors.formUnion(notebook.cells.map { "cell-\($0.index + 1)" })
        var headings: [Heading] = []
        var body = ""
        var sections = [SearchSection(anchor: nil, title: nil, text: "")]
        for block in notebook.document.blocks {
            let count = headings.count
            body += renderBlock(block, headings: &headings, anchors: &anchors)
            if headings.count > count, let heading = headings.last, heading.level <= 3 {
                sections.append(
                    SearchSection(
                        anchor: heading.anchor, title: searchText(of: block, readable: true),
                        text: ""))
            } else {
                sections[sections.count - 1].text += searchText(of: block) + "\n"
            }
        }
        sections[0].title = nil
        let plainDescription = notebook.frontMatter.description
        sections[0].text =
            (outputMath?.plainText(plainDescription) ?? plainDescription) + "\n" + sections[0].text
        let contents = headings.filter { $0.level == 2 || $0.level == 3 }
        let article = ArticleContext(
            title: notebook.title, descriptionHTML: descriptionHTML(), hasContents: !contents.isEmpty,
            contents: contents, bodyHTML: body)
        let html = SiteTemplate.page(
            title: "\(notebook.title) · \(siteTitle)", sidebar: sidebar,
            navigation: navigation(), content: Templates.render(.article, article))
        return RenderedPage(
            html: html,
            sections: sections.filter { !$0.text.allSatisfy(\.isWhitespace) || $0.title != nil })
    }
}

/// The page's header, table of contents and main content (the ``Template/article`` template).
private struct ArticleContext {
    let title: String
    /// The front matter's description with its math typeset; `nil` when there is none.
    let descriptionHTML: String?
    let hasContents: Bool
    let contents: [PageRenderer.Heading]
    /// The rendered blocks.
    let bodyHTML: String
}

// MARK: - Blocks

extension PageRenderer {
    /// The front matter's description as HTML, its math typeset; `nil` when it is empty.
    fileprivate func descriptionHTML() -> String? {
        let description = notebook.frontMatter.description
        guard !description.isEmpty else { return nil }
        return outputMath?.render(description, targets: numbering.targets) ?? HTML.escape(description)
    }

    fileprivate func navigation() -> String {
        SiteNavigation.links(previous: previous, next: next, source: assetFolder + sourceFileName)
    }

    fileprivate func renderBlock(
        _ node: MarkdownNode, headings: inout [Heading], anchors: inout Set<String>
    ) -> String {
        switch node.kind {
        case .heading(let level):
            return renderHeading(node, level: level, headings: &headings, anchors: &anchors)
        case .paragraph:
            return "<p>\(renderInlines(node.children))</p>\n"
        case .blockQuote:
            return renderBlockQuote(node, headings: &headings, anchors: &anchors)
        case .list(let isOrdered, let start, let isTight):
            let items = node.children.map { item in
                item.children.map { child in
                    isTight && child.kind == .paragraph
                        ? renderInlines(child.children)
                        : renderBlock(child, headings: &headings, anchors: &anchors)
                }.joined()
            }
            return Templates.render(
                .list,
                ProseContext.List(
                    tag: isOrdered ? "ol" : "ul", start: isOrdered && start != 1 ? start : nil,
                    itemsHTML: items))
        case .item:
            let inner = node.children.map { renderBlock($0, headings: &headings, anchors: &anchors) }
            return "<li>\(inner.joined())</li>\n"
        case .codeBlock(let info, let literal):
            if let cell = notebook.cells.first(where: { $0.fenceLine == node.range.lowerLine }) {
                return renderCell(cell)
            }
            let language = info.split(separator: " ").first.map(String.init)
            return Templates.render(.codeBlock, ProseContext.CodeBlock(language: language, literal: literal))
        case .htmlBlock(let literal):
            if notebook.frontMatter.allowsRawHTML { return literal }
            return Templates.render(.escapedHTMLBlock, ["literal": literal])
        case .thematicBreak:
            return "<hr>\n"
        default:
            return renderInlines([node])
        }
    }

    /// A heading with a unique anchor (`x`, `x-2`, …), recorded in `headings` for search.
    fileprivate func renderHeading(
        _ node: MarkdownNode, level: Int, headings: inout [Heading], anchors: inout Set<String>
    ) -> String {
        let inner = renderInlines(node.children)
        var anchor = HTML.slug(stripTokens(node.plainText))
        if anchors.contains(anchor) {
            var suffix = 2
            while anchors.contains("\(anchor)-\(suffix)") { suffix += 1 }
            anchor = "\(anchor)-\(suffix)"
        }
        anchors.insert(anchor)
        headings.append(Heading(level: level, html: inner, anchor: anchor))
        return Templates.render(
            .heading, ProseContext.Heading(level: level, anchor: anchor, contentHTML: inner))
    }

    /// A block quote: a callout when its first paragraph starts with a `[!KIND]` marker.
    fileprivate func renderBlockQuote(
        _ node: MarkdownNode, headings: inout [Heading], anchors: inout Set<String>
    ) -> String {
        if let first = node.children.first, first.kind == .paragraph,
            let callout = Callout(firstParagraphText: first.plainText)
        {
            let rest = node.children.dropFirst().map {
                renderBlock($0, headings: &headings, anchors: &anchors)
            }
            return callout.render(
                firstParagraph: renderInlines(first.children), rest: rest.joined())
        }
        let inner = node.children.map { renderBlock($0, headings: &headings, anchors: &anchors) }
        return Templates.render(.blockQuote, ["contentHTML": inner.joined()])
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
            return Templates.render(.inlineCode, ["code": code])
        case .htmlInline(let html):
            return notebook.frontMatter.allowsRawHTML ? html : HTML.escape(html)
        case .emphasis:
            return "<em>\(renderInlines(node.children))</em>"
        case .strong:
            return "<strong>\(renderInlines(node.children))</strong>"
        case .link(let destination, let title):
            return Templates.render(
                .link,
                ProseContext.Link(
                    href: safeURL(destination), title: title.isEmpty ? nil : title,
                    contentHTML: renderInlines(node.children)))
        case .image(let destination, let title):
            return Templates.render(
                .proseImage,
                ProseContext.Image(
                    src: imageSources[destination] ?? safeURL(destination), alt: stripTokens(node.plainText),
                    title: title.isEmpty ? nil : title))
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
        ProtectedMarkdown.replacingTokens(in: text) { tokenHTML(mark: $0, index: $1) }
    }

    /// A block's text for search: math as TeX (with `\\paper{8}` as "paper Eq. 8"),
    /// references as printed, a Swift block as its outputs' captions and tables.
    fileprivate func searchText(of node: MarkdownNode, readable: Bool = false) -> String {
        if case .codeBlock = node.kind,
            let cell = notebook.cells.first(where: { $0.fenceLine == node.range.lowerLine })
        {
            guard let record, cell.options.showsOutput, cell.index < record.blocks.count else {
                return ""
            }
            return record.blocks[cell.index].items.flatMap(OutputMath.texts(of:))
                .map { outputMath?.plainText($0) ?? $0 }.joined(separator: " ")
        }
        return ProtectedMarkdown.replacingTokens(in: node.plainText) { mark, index in
            if mark == ProtectedMarkdown.mathMark {
                guard numbering.equations.indices.contains(index) else { return "" }
                let equation = numbering.equations[index]
                let paper = equation.paperNumber.map { " paper Eq. \($0)" } ?? ""
                let tex = notebook.markdown.math[index].tex
                return (readable ? ReadableTeX.text(tex) : tex) + paper
            }
            let references = notebook.markdown.references
            guard references.indices.contains(index),
                let target = numbering.targets[references[index].label]
            else { return "" }
            return target.referenceText(isEquation: references[index].isEquation)
        }
    }

    fileprivate func tokenHTML(mark: Character, index: Int) -> String {
        if mark == ProtectedMarkdown.mathMark {
            guard mathHTML.indices.contains(index) else { return "" }
            let span = notebook.markdown.math[index]
            guard span.isDisplay else { return mathHTML[index] }
            return Templates.render(
                .equation,
                ProseContext.Equation(anchor: numbering.equations[index].anchor, mathHTML: mathHTML[index]))
        }
        let references = notebook.markdown.references
        guard references.indices.contains(index),
            let target = numbering.targets[references[index].label]
        else { return "" }
        let text = target.referenceText(isEquation: references[index].isEquation)
        return Templates.render(.reference, ["anchor": target.anchor, "text": text])
    }
}

/// The values the prose's templates show (see ``Template``): the notebook's text and URLs,
/// escaped by the templates; fields ending in `HTML` hold the already rendered inner HTML.
private enum ProseContext {
    struct Heading {
        let level: Int
        let anchor: String
        let contentHTML: String
    }

    struct List {
        let tag: String
        let start: Int?
        let itemsHTML: [String]
    }

    struct CodeBlock {
        let language: String?
        let literal: String
    }

    struct Link {
        let href: String
        let title: String?
        let contentHTML: String
    }

    struct Image {
        let src: String
        let alt: String
        let title: String?
    }

    struct Equation {
        let anchor: String?
        /// KaTeX's HTML.
        let mathHTML: String
    }
}
