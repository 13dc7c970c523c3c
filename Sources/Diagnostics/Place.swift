/// Where a problem is: the file (or another source, such as `<memory>` or a request), the line
/// and column in it when they are known, and the parts inside it from the outermost in (a
/// tensor, a record, an ONNX node, a request field).
///
/// ```swift
/// Place(file: "x.safetensors", "tensor 'w'").description  // x.safetensors: tensor 'w'
/// Place(file: "Notebooks/x.md", line: 12).description     // Notebooks/x.md:12
/// Place("row").description                                // row
/// ```
public struct Place: Hashable, Sendable, CustomStringConvertible {
    /// The file or other source, when there is one.
    public var file: String?
    /// The 1-based line in ``file``, when known.
    public var line: Int?
    /// The 1-based column in ``line``, when known.
    public var column: Int?
    /// The parts inside the file, outermost first, each as a person reads it (`tensor 'w'`).
    public var parts: [String]

    /// Creates a place from a file, its line and column, and the parts inside it.
    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, parts: [String]) {
        self.file = file
        self.line = line
        self.column = column
        self.parts = parts
    }

    /// Creates a place from a file, its line and column, and the parts inside it.
    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, _ parts: String...) {
        self.init(file: file, line: line, column: column, parts: parts)
    }

    /// Whether the place names nothing (a problem that is nowhere in particular).
    public var isEmpty: Bool { file == nil && parts.isEmpty }

    /// `file:line:column`, then each part after `: `, leaving out what is unknown.
    public var description: String {
        var head: [String] = []
        if let file {
            var located = file
            if let line {
                located += ":\(line)"
                if let column { located += ":\(column)" }
            }
            head.append(located)
        }
        return (head + parts).joined(separator: ": ")
    }
}
