/// A span of a Markdown source, 1-based lines and columns, both ends inclusive, as libcmark
/// records them.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    /// First line of the span.
    public var lowerLine: Int
    /// Column of the first character on ``lowerLine``.
    public var lowerColumn: Int
    /// Last line of the span.
    public var upperLine: Int
    /// Column of the last character on ``upperLine``.
    public var upperColumn: Int

    /// Creates a range from its four coordinates.
    public init(lowerLine: Int, lowerColumn: Int, upperLine: Int, upperColumn: Int) {
        self.lowerLine = lowerLine
        self.lowerColumn = lowerColumn
        self.upperLine = upperLine
        self.upperColumn = upperColumn
    }

    /// `line:column-line:column`, the notation of swift-markdown's tree dumps.
    public var description: String { "\(lowerLine):\(lowerColumn)-\(upperLine):\(upperColumn)" }
}
