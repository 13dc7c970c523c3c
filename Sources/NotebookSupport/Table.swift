import Foundation

/// A table with column headers and typed cells, shown with ``show(_:caption:label:)``.
///
/// Cells are text, numbers or math (``TableCell``); the page escapes text and right-aligns a
/// column whose cells are all numbers. Integers and floating-point values become number cells;
/// a string becomes a number cell when it reads as one (``TableCell/init(reading:)``).
public struct Table: Hashable, Sendable {
    /// Column headers.
    public var columns: [String]
    /// Rows, each with one typed cell per column.
    public private(set) var cells: [[TableCell]]

    /// Rows, each with the text of one cell per column (what the page shows).
    public var rows: [[String]] { cells.map { $0.map(\.text) } }

    /// Creates an empty table with the given headers.
    public init(columns: [String]) {
        self.columns = columns
        self.cells = []
    }

    /// Creates a table from headers and rows of values (numbers, strings, cells).
    ///
    /// - Precondition: Every row has one cell per column.
    public init(columns: [String], rows: [[any TableCellConvertible]]) {
        self.init(columns: columns, cells: rows.map { $0.map(\.tableCell) })
    }

    /// Creates a table from headers and rows of cells.
    ///
    /// - Precondition: Every row has one cell per column.
    public init(columns: [String], cells: [[TableCell]]) {
        precondition(
            cells.allSatisfy { $0.count == columns.count },
            "every row of a Table needs \(columns.count) cells, one per column"
        )
        self.columns = columns
        self.cells = cells
    }

    /// Appends a row of values: numbers, strings or ``TableCell``s.
    ///
    /// - Precondition: `cells.count == columns.count`.
    public mutating func append(_ cells: [any TableCellConvertible]) {
        precondition(
            cells.count == columns.count,
            "a row of this Table needs \(columns.count) cells, got \(cells.count)"
        )
        self.cells.append(cells.map(\.tableCell))
    }

    /// Whether column `index` holds only numbers (and at least one row): the page
    /// right-aligns it.
    public func isNumberColumn(_ index: Int) -> Bool {
        !cells.isEmpty && cells.allSatisfy { index < $0.count && $0[index].isNumber }
    }

    /// Formats `value` in scientific notation with `digits` digits after the point, such as
    /// `1.23e-07` (the style of the paper's error tables). For a table cell that knows it is a
    /// number, ``TableCell/scientific(_:digits:)`` gives the same text.
    public static func scientific(_ value: Double, digits: Int = 2) -> String {
        FormattedNumber(value, format: .scientific(digits: digits)).text
    }

    /// Formats `value` with a fixed number of digits after the point. For a table cell,
    /// ``TableCell/fixed(_:digits:)`` gives the same text.
    public static func fixed(_ value: Double, digits: Int = 3) -> String {
        FormattedNumber(value, format: .fixed(digits: digits)).text
    }
}
