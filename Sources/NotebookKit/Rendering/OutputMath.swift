import Foundation
import NotebookSupport

/// Math outside the prose: the front matter's description and the outputs' captions,
/// alternative texts, table headers and cells may hold `$…$` (and `\ref`/`\eqref`), typeset at
/// build time like the prose.
///
/// The texts come from the program's outputs, which know nothing of HTML; each is protected
/// with the prose's rules (``MathProtector``), its spans are typeset in the site's one KaTeX
/// batch, and the renderer puts them back with ``render(_:targets:)``.
struct OutputMath {
    /// A span to typeset, with where it came from (for error messages).
    struct Span: Hashable, Sendable {
        var tex: String
        /// The fence line of the block whose output holds it (1 for the description).
        var line: Int
        /// Where the text is, e.g. "in an output of this block".
        var place: String
    }

    /// Protected texts by their original text.
    private var protected: [String: ProtectedMarkdown] = [:]
    /// Texts in the order their spans were collected.
    private var order: [String] = []
    /// KaTeX HTML per text, one fragment per span (filled by ``setHTML(_:)``).
    private var html: [String: [String]] = [:]
    /// Every span, in the order of ``order``.
    private(set) var spans: [Span] = []

    /// Collects the math of the front matter's description and of every output the page
    /// shows.
    ///
    /// - Throws: ``NotebookError`` at the block's fence line (line 1 for the description) for
    ///   an unclosed `$$` or a reference to a label the page does not define.
    init(notebook: Notebook, record: RunRecord?, targets: [String: ReferenceTarget]) throws {
        try add(
            notebook.frontMatter.description, line: 1, place: "in the front matter's description",
            notebook: notebook, targets: targets)
        guard let record else { return }
        for cell in notebook.cells where cell.options.showsOutput && cell.index < record.blocks.count {
            for item in record.blocks[cell.index].items {
                for text in Self.texts(of: item) {
                    try add(
                        text, line: cell.fenceLine, place: "in an output of this block",
                        notebook: notebook, targets: targets)
                }
            }
        }
    }

    /// Protects one text, unless it holds no math or was seen before.
    private mutating func add(
        _ text: String, line: Int, place: String, notebook: Notebook,
        targets: [String: ReferenceTarget]
    ) throws {
        guard protected[text] == nil,
            text.contains("$") || text.contains("\\ref{") || text.contains("\\eqref{")
        else { return }
        let markdown: ProtectedMarkdown
        do {
            markdown = try MathProtector(file: notebook.path, excludedLines: []).protect(text)
        } catch let error as NotebookError {
            throw NotebookError(file: notebook.path, line: line, message: "\(place): \(error.message)")
        }
        for reference in markdown.references where targets[reference.label] == nil {
            throw NotebookError(
                file: notebook.path, line: line,
                message: "unknown label '\(reference.label)' \(place)")
        }
        protected[text] = markdown
        order.append(text)
        spans += markdown.math.map { Span(tex: $0.tex, line: line, place: place) }
    }

    /// The texts of an output that may hold math.
    static func texts(of item: OutputItem) -> [String] {
        switch item {
        case .text, .value, .error:
            return []
        case .image(let figure), .chart(let figure):
            return [figure.caption.text, figure.alt].compactMap { $0 }
        case .table(let table, let caption):
            return [caption.text].compactMap { $0 } + table.columns
                + table.cells.joined().map(Self.text(of:))
        }
    }

    /// The text of a table cell as output math sees it: math cells between dollars.
    static func text(of cell: TableCell) -> String {
        if case .math(let tex) = cell { "$\(tex)$" } else { cell.text }
    }

    /// Stores KaTeX's HTML for ``spans``, in their order.
    mutating func setHTML(_ fragments: ArraySlice<String>) {
        var next = fragments.startIndex
        for text in order {
            let count = protected[text]?.math.count ?? 0
            html[text] = Array(fragments[next..<(next + count)])
            next += count
        }
    }

    /// `text` as HTML: escaped, with its math typeset and its references linked; numbers that
    /// hold a minus sign are kept on one line.
    func render(_ text: String, targets: [String: ReferenceTarget]) -> String {
        guard let markdown = protected[text] else { return HTML.keepingNumbersWhole(HTML.escape(text)) }
        let fragments = html[text] ?? []
        let escaped = HTML.keepingNumbersWhole(
            HTML.escape(markdown.text.replacingOccurrences(of: "\\$", with: "$")))
        return ProtectedMarkdown.replacingTokens(in: escaped) { mark, index in
            if mark == ProtectedMarkdown.mathMark {
                return fragments.indices.contains(index) ? fragments[index] : ""
            }
            guard markdown.references.indices.contains(index),
                let target = targets[markdown.references[index].label]
            else { return "" }
            let reference = markdown.references[index]
            return Templates.render(
                .reference,
                ["anchor": target.anchor, "text": target.referenceText(isEquation: reference.isEquation)])
        }
    }

    /// `text` as plain text: math as its TeX, without dollar signs (for `alt` and search).
    func plainText(_ text: String) -> String {
        guard let markdown = protected[text] else { return text }
        return ProtectedMarkdown.replacingTokens(in: markdown.text) { mark, index in
            if mark == ProtectedMarkdown.mathMark {
                return markdown.math.indices.contains(index) ? markdown.math[index].tex : ""
            }
            return markdown.references.indices.contains(index)
                ? markdown.references[index].label : ""
        }
    }
}

extension ProtectedMarkdown {
    /// Replaces every token in `text` by `replacement(mark, index)` and drops padding.
    static func replacingTokens(
        in text: String, _ replacement: (Character, Int) -> String
    ) -> String {
        var result = ""
        var token: (mark: Character, digits: String)?
        for character in text {
            if var current = token {
                if character == endMark {
                    result += replacement(current.mark, Int(current.digits) ?? -1)
                    token = nil
                } else {
                    current.digits.append(character)
                    token = current
                }
                continue
            }
            switch character {
            case mathMark, referenceMark: token = (character, "")
            case padding: continue
            default: result.append(character)
            }
        }
        return result
    }
}

extension HTML {
    /// Wraps each word of escaped text that holds a digit and a minus or hyphen (`-1.89e-15`)
    /// in `<span class="nowrap">`, so that browsers do not break it after the minus.
    static func keepingNumbersWhole(_ escaped: String) -> String {
        guard escaped.contains(where: { $0 == "-" || $0 == "−" }) else { return escaped }
        var result = ""
        var word = ""
        func flush() {
            let isNumber =
                word.contains(where: \.isNumber) && word.contains(where: { $0 == "-" || $0 == "−" })
                && !word.contains("&") && !word.contains(ProtectedMarkdown.mathMark)
            result += isNumber ? "<span class=\"nowrap\">\(word)</span>" : word
            word = ""
        }
        for character in escaped {
            if character == " " || character == "\n" {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }
}
