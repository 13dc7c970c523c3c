// The JSON form of an output item: `{"kind": "table", "columns": […], "rows": […], …}`, the
// fields each case needs and no others. Decoding names the missing or mistyped field.

extension OutputItem: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, text, columns, rows, caption, label, file, alt, displayWidth, isExpected
    }

    /// Decodes an item; a missing or mistyped field throws a `DecodingError` that names it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .text: self = .text(try container.decode(String.self, forKey: .text))
        case .value: self = .value(try container.decode(String.self, forKey: .text))
        case .error:
            self = .error(
                message: try container.decode(String.self, forKey: .text),
                isExpected: try container.decode(Bool.self, forKey: .isExpected))
        case .table:
            let columns = try container.decode([String].self, forKey: .columns)
            let rows = try container.decode([[TableCell]].self, forKey: .rows)
            if let index = rows.firstIndex(where: { $0.count != columns.count }) {
                throw DecodingError.dataCorruptedError(
                    forKey: .rows, in: container,
                    debugDescription: "row \(index) has \(rows[index].count) cells, "
                        + "the table has \(columns.count) columns")
            }
            self = .table(Table(columns: columns, cells: rows), caption: try Self.caption(in: container))
        case .image: self = .image(try Self.figure(in: container))
        case .chart: self = .chart(try Self.figure(in: container))
        }
    }

    /// Encodes the item as an object with a `kind` field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .text(let text), .value(let text):
            try container.encode(text, forKey: .text)
        case .error(let message, let isExpected):
            try container.encode(message, forKey: .text)
            try container.encode(isExpected, forKey: .isExpected)
        case .table(let table, let caption):
            try container.encode(table.columns, forKey: .columns)
            try container.encode(table.cells, forKey: .rows)
            try Self.encode(caption, in: &container)
        case .image(let figure), .chart(let figure):
            try container.encode(figure.file, forKey: .file)
            try Self.encode(figure.caption, in: &container)
            try container.encodeIfPresent(figure.alt, forKey: .alt)
            try container.encodeIfPresent(figure.displayWidth, forKey: .displayWidth)
        }
    }

    private static func caption(in container: KeyedDecodingContainer<CodingKeys>) throws -> Caption {
        Caption(
            try container.decodeIfPresent(String.self, forKey: .caption),
            label: try container.decodeIfPresent(String.self, forKey: .label))
    }

    private static func figure(in container: KeyedDecodingContainer<CodingKeys>) throws -> Figure {
        Figure(
            file: try container.decode(String.self, forKey: .file),
            caption: try caption(in: container),
            alt: try container.decodeIfPresent(String.self, forKey: .alt),
            displayWidth: try container.decodeIfPresent(Int.self, forKey: .displayWidth))
    }

    private static func encode(_ caption: Caption, in container: inout KeyedEncodingContainer<CodingKeys>)
        throws
    {
        try container.encodeIfPresent(caption.text, forKey: .caption)
        try container.encodeIfPresent(caption.label, forKey: .label)
    }
}

/// Words a decoding error of the output protocol or of a stored record for people: which
/// field, and what was wrong with it.
public enum OutputDecoding {
    /// A one-line description such as `field 'item.file' is missing`.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let names = (keys + (last.map { [$0] } ?? [])).map { key in
                key.intValue.map { "[\($0)]" } ?? key.stringValue
            }
            return names.isEmpty
                ? "the top level"
                : "field '\(names.joined(separator: "."))'"
                    .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath, key)) is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not a \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null, expected a \(type)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
