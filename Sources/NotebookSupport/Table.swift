import Foundation

/// A table of strings with column headers, shown with ``show(_:caption:label:)``.
///
/// Cells are plain text (the page escapes them). Columns whose cells all read as numbers are
/// right-aligned on the page.
public struct Table: Hashable, Sendable {
    /// Column headers.
    public var columns: [String]
    /// Rows, each with one cell per column.
    public var rows: [[String]]

    /// Creates an empty table with the given headers.
    public init(columns: [String]) {
        self.columns = columns
        self.rows = []
    }

    /// Creates a table from headers and rows.
    ///
    /// - Precondition: Every row has one cell per column.
    public init(columns: [String], rows: [[String]]) {
        precondition(
            rows.allSatisfy { $0.count == columns.count },
            "every row of a Table needs \(columns.count) cells, one per column"
        )
        self.columns = columns
        self.rows = rows
    }

    /// Appends a row of cells, each turned into text with `String(describing:)`.
    ///
    /// - Precondition: `cells.count == columns.count`.
    public mutating func append(_ cells: [Any]) {
        precondition(
            cells.count == columns.count,
            "a row of this Table needs \(columns.count) cells, got \(cells.count)"
        )
        rows.append(cells.map { String(describing: $0) })
    }

    /// Formats `value` in scientific notation with `digits` digits after the point, such as
    /// `1.23e-07` (the style of the paper's error tables).
    public static func scientific(_ value: Double, digits: Int = 2) -> String {
        String(format: "%.\(max(0, digits))e", value)
    }

    /// Formats `value` with a fixed number of digits after the point.
    public static func fixed(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(max(0, digits))f", value)
    }
}
