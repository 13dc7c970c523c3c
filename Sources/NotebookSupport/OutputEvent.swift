/// One record of the protocol between a running notebook program and the notebook runner.
///
/// The program writes events to its standard output, each on its own line after the marker
/// ``OutputEvent/marker``; everything else it prints is plain text that belongs to the block
/// running at the time. Files an event names (PNG images, SVG charts) are written into the
/// folder given by the `NOTEBOOK_OUTPUT_DIR` environment variable.
///
/// On the pipe an event is a JSON object whose `kind` field (`begin`, `item`, `finish`) says
/// which case it is.
public enum OutputEvent: Hashable, Sendable {
    /// The block with this 0-based index starts; later output belongs to it.
    case begin(block: Int)
    /// The current block produced an output.
    case item(OutputItem)
    /// Every block ran.
    case finish

    /// The marker that starts an event line: an ASCII record separator and `NB:`.
    public static let marker = "\u{1E}NB:"
}

extension OutputEvent: Codable {
    private enum Kind: String, Codable {
        case begin, item, finish
    }

    private enum CodingKeys: String, CodingKey {
        case kind, block, item
    }

    /// Decodes an event; a missing or mistyped field throws a `DecodingError` that names it
    /// (``OutputDecoding/describe(_:)`` words it for people).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .begin: self = .begin(block: try container.decode(Int.self, forKey: .block))
        case .item: self = .item(try container.decode(OutputItem.self, forKey: .item))
        case .finish: self = .finish
        }
    }

    /// Encodes the event as an object with a `kind` field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .begin(let block):
            try container.encode(Kind.begin, forKey: .kind)
            try container.encode(block, forKey: .block)
        case .item(let item):
            try container.encode(Kind.item, forKey: .kind)
            try container.encode(item, forKey: .item)
        case .finish:
            try container.encode(Kind.finish, forKey: .kind)
        }
    }
}
