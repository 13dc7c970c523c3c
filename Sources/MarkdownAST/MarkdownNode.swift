/// One node of a parsed Markdown document: a value-type copy of a libcmark node.
public struct MarkdownNode: Hashable, Sendable {
    /// What kind of node this is, with the data that kind carries.
    public enum Kind: Hashable, Sendable {
        case document
        case blockQuote
        /// A list; `start` is the first number of an ordered list.
        case list(isOrdered: Bool, start: Int, isTight: Bool)
        case item
        /// A code block. `info` is the whole info string after an opening fence (`"swift hide"`);
        /// an indented block and a bare fence both have `""`. `literal` is the code, ending with
        /// a newline unless empty.
        case codeBlock(info: String, literal: String)
        case htmlBlock(literal: String)
        case customBlock
        case paragraph
        case heading(level: Int)
        case thematicBreak
        case text(String)
        case softBreak
        case lineBreak
        case code(String)
        case htmlInline(String)
        case customInline
        case emphasis
        case strong
        case link(destination: String, title: String)
        case image(destination: String, title: String)
    }

    /// The node's kind and payload.
    public var kind: Kind
    /// The node's span in the source. Inline nodes may have zero coordinates in libcmark 0.30
    /// where it records none.
    public var range: SourceRange
    /// Child nodes in document order.
    public var children: [MarkdownNode]

    /// Creates a node.
    public init(kind: Kind, range: SourceRange, children: [MarkdownNode] = []) {
        self.kind = kind
        self.range = range
        self.children = children
    }

    /// The concatenated text of this node's inline descendants (text and code spans; breaks
    /// become spaces), e.g. a heading's plain title.
    public var plainText: String {
        switch kind {
        case .text(let text), .code(let text): return text
        case .softBreak, .lineBreak: return " "
        default: return children.map(\.plainText).joined()
        }
    }

    /// Every node of this subtree in pre-order (this node first).
    public var preOrder: [MarkdownNode] {
        var result = [self]
        for child in children { result += child.preOrder }
        return result
    }
}

// MARK: - CustomStringConvertible

extension MarkdownNode: CustomStringConvertible {
    /// An indented tree dump with kinds and source ranges, one node a line (for tests).
    public var description: String { dump(indent: 0) }

    private func dump(indent: Int) -> String {
        var line = String(repeating: "  ", count: indent) + "\(kindName) @\(range)"
        for child in children { line += "\n" + child.dump(indent: indent + 1) }
        return line
    }

    private var kindName: String {
        switch kind {
        case .document: "document"
        case .blockQuote: "blockQuote"
        case .list(let isOrdered, let start, let isTight):
            "list(\(isOrdered ? "ordered start=\(start)" : "bullet")\(isTight ? " tight" : ""))"
        case .item: "item"
        case .codeBlock(let info, let literal):
            "codeBlock(info: \(info.debugDescription), \(literal.debugDescription))"
        case .htmlBlock(let literal): "htmlBlock(\(literal.debugDescription))"
        case .customBlock: "customBlock"
        case .paragraph: "paragraph"
        case .heading(let level): "heading(\(level))"
        case .thematicBreak: "thematicBreak"
        case .text(let text): "text(\(text.debugDescription))"
        case .softBreak: "softBreak"
        case .lineBreak: "lineBreak"
        case .code(let text): "code(\(text.debugDescription))"
        case .htmlInline(let html): "htmlInline(\(html.debugDescription))"
        case .customInline: "customInline"
        case .emphasis: "emphasis"
        case .strong: "strong"
        case .link(let destination, let title):
            "link(\(destination.debugDescription), \(title.debugDescription))"
        case .image(let destination, let title):
            "image(\(destination.debugDescription), \(title.debugDescription))"
        }
    }
}
