import Foundation

/// One cell of a ``Table``: text, a number with the format it was written in, or math.
///
/// The page right-aligns a column whose cells are all numbers; it never re-reads text to
/// decide. Stored as a JSON object with one of the keys `text`, `number` (with `format`) or
/// `math`.
public enum TableCell: Hashable, Sendable {
    /// Plain text; `$…$` in it is typeset like math in any output text.
    case text(String)
    /// A number, shown as its formatted text.
    case number(FormattedNumber)
    /// TeX without the dollars, typeset inline.
    case math(String)

    /// The characters the cell shows (TeX source for ``math(_:)``).
    public var text: String {
        switch self {
        case .text(let text), .math(let text): text
        case .number(let number): number.text
        }
    }

    /// Whether the cell holds a number.
    public var isNumber: Bool {
        if case .number = self { true } else { false }
    }

    /// A number cell with `digits` digits after the point, such as `0.667`.
    public static func fixed(_ value: Double, digits: Int = 3) -> TableCell {
        .number(FormattedNumber(value, format: .fixed(digits: digits)))
    }

    /// A number cell in scientific notation with `digits` digits after the point, such as
    /// `1.23e-07`.
    public static func scientific(_ value: Double, digits: Int = 2) -> TableCell {
        .number(FormattedNumber(value, format: .scientific(digits: digits)))
    }

    /// A cell for text a notebook wrote: a number cell ``NumberFormat/written`` when the whole
    /// text reads as a number, with an optional sign (`-` or `−`) and an optional unit `%`,
    /// `×`, ` s` or ` ms` (`1.5`, `−3`, `85.08%`, `2×`, `1.89e-15`), else a text cell.
    ///
    /// This is the one place where text is read as a number: a `String` in
    /// ``Table/append(_:)`` means this. Pass ``text(_:)`` to keep numeric-looking text as text.
    public init(reading text: String) {
        var number = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
        for suffix in ["%", "×", " s", " ms"] where number.hasSuffix(suffix) {
            number = String(number.dropLast(suffix.count))
        }
        if !number.isEmpty, Double(number) != nil {
            self = .number(FormattedNumber(text: text, format: .written))
        } else {
            self = .text(text)
        }
    }
}

/// A number as a table shows it: its text and the format that made the text.
public struct FormattedNumber: Hashable, Sendable, Codable {
    /// The characters shown, such as `1.23e-07`.
    public var text: String
    /// How ``text`` was made from the value.
    public var format: NumberFormat

    /// A number whose text is already made.
    public init(text: String, format: NumberFormat) {
        self.text = text
        self.format = format
    }

    /// Formats `value` with `format` (``NumberFormat/shortest`` and ``NumberFormat/written``
    /// give Swift's shortest round-tripping text).
    public init(_ value: Double, format: NumberFormat) {
        let text =
            switch format {
            case .fixed(let digits): String(format: "%.\(max(0, digits))f", value)
            case .scientific(let digits): String(format: "%.\(max(0, digits))e", value)
            case .integer, .shortest, .written: String(describing: value)
            }
        self.init(text: text, format: format)
    }
}

/// How a table's number was turned into text.
public enum NumberFormat: Hashable, Sendable, Codable {
    /// An integer in decimal digits.
    case integer
    /// Swift's shortest text that reads back as the same `Double` or `Float`.
    case shortest
    /// A fixed number of digits after the point.
    case fixed(digits: Int)
    /// Scientific notation with a fixed number of digits after the point.
    case scientific(digits: Int)
    /// Text a notebook formatted itself and that reads as a number (see
    /// ``TableCell/init(reading:)``).
    case written
}

extension TableCell: Codable {
    private enum CodingKeys: String, CodingKey {
        case text, number, format, math
    }

    /// Decodes a cell; an object without `text`, `number` or `math` throws an error naming
    /// the cell.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .text) {
            self = .text(text)
        } else if let tex = try container.decodeIfPresent(String.self, forKey: .math) {
            self = .math(tex)
        } else if let number = try container.decodeIfPresent(String.self, forKey: .number) {
            let format = try container.decode(NumberFormat.self, forKey: .format)
            self = .number(FormattedNumber(text: number, format: format))
        } else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a table cell needs a 'text', 'number' or 'math' field"))
        }
    }

    /// Encodes the cell as an object with one of the keys `text`, `number` or `math`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text): try container.encode(text, forKey: .text)
        case .math(let tex): try container.encode(tex, forKey: .math)
        case .number(let number):
            try container.encode(number.text, forKey: .number)
            try container.encode(number.format, forKey: .format)
        }
    }
}
