import CCmark
import Foundation

/// A CommonMark document parsed by libcmark and converted once into Swift values.
///
/// libcmark's C tree is walked a single time, copied into ``MarkdownNode`` values (each with
/// its ``SourceRange``), and freed before the initializer returns; nothing above this module
/// sees a C pointer.
public struct MarkdownDocument: Hashable, Sendable {
    /// Parsing options passed to libcmark.
    public struct Options: Hashable, Sendable {
        /// Convert straight quotes to curly ones, `--` to dashes (CMARK_OPT_SMART).
        public var isSmartPunctuation: Bool
        /// Replace invalid UTF-8 with U+FFFD (CMARK_OPT_VALIDATE_UTF8). Swift strings are
        /// always valid UTF-8, so this only matters for raw byte input.
        public var validatesUTF8: Bool

        /// Creates options; the defaults are CommonMark's.
        public init(isSmartPunctuation: Bool = false, validatesUTF8: Bool = true) {
            self.isSmartPunctuation = isSmartPunctuation
            self.validatesUTF8 = validatesUTF8
        }

        var cmarkFlags: Int32 {
            var flags = CMARK_OPT_DEFAULT
            if isSmartPunctuation { flags |= CMARK_OPT_SMART }
            if validatesUTF8 { flags |= CMARK_OPT_VALIDATE_UTF8 }
            return flags
        }
    }

    /// The root node, of kind ``MarkdownNode/Kind/document``.
    public var root: MarkdownNode

    /// The top-level blocks (the root's children).
    public var blocks: [MarkdownNode] { root.children }

    /// Parses `source` as CommonMark.
    ///
    /// - Parameters:
    ///   - source: The Markdown text. Line numbers in the result count from its first line.
    ///   - options: libcmark parsing options.
    public init(parsing source: String, options: Options = Options()) {
        // A terminating NUL keeps the base address non-nil for empty input; it is not parsed.
        let bytes = Array(source.utf8) + [0]
        let tree: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                chars.baseAddress.flatMap { cmark_parse_document($0, buffer.count - 1, options.cmarkFlags) }
            }
        }
        guard let tree else {
            preconditionFailure("libcmark returned no document (out of memory)")
        }
        defer { cmark_node_free(tree) }
        root = Self.convert(tree)
    }

    /// Every code block of the document in source order, at any depth (inside lists and quotes
    /// too).
    public var codeBlocks: [MarkdownNode] {
        root.preOrder.filter {
            if case .codeBlock = $0.kind { return true }
            return false
        }
    }
}

// MARK: - Conversion from the C tree

extension MarkdownDocument {
    fileprivate static func convert(_ node: OpaquePointer) -> MarkdownNode {
        var children: [MarkdownNode] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            children.append(convert(current))
            child = cmark_node_next(current)
        }
        let range = SourceRange(
            lowerLine: Int(cmark_node_get_start_line(node)),
            lowerColumn: Int(cmark_node_get_start_column(node)),
            upperLine: Int(cmark_node_get_end_line(node)),
            upperColumn: Int(cmark_node_get_end_column(node))
        )
        return MarkdownNode(kind: kind(of: node), range: range, children: children)
    }

    fileprivate static func kind(of node: OpaquePointer) -> MarkdownNode.Kind {
        let literal = { string(cmark_node_get_literal(node)) }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST:
            return .list(
                isOrdered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                start: Int(cmark_node_get_list_start(node)),
                isTight: cmark_node_get_list_tight(node) != 0
            )
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK:
            return .codeBlock(info: string(cmark_node_get_fence_info(node)), literal: literal())
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock(literal: literal())
        case CMARK_NODE_CUSTOM_BLOCK: return .customBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_TEXT: return .text(literal())
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code(literal())
        case CMARK_NODE_HTML_INLINE: return .htmlInline(literal())
        case CMARK_NODE_CUSTOM_INLINE: return .customInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK:
            return .link(
                destination: string(cmark_node_get_url(node)),
                title: string(cmark_node_get_title(node))
            )
        case CMARK_NODE_IMAGE:
            return .image(
                destination: string(cmark_node_get_url(node)),
                title: string(cmark_node_get_title(node))
            )
        default:
            preconditionFailure(
                "libcmark produced an unknown node type \(cmark_node_get_type(node).rawValue)")
        }
    }

    fileprivate static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}
