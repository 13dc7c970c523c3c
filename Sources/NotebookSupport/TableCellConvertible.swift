/// A value that can stand in a ``Table`` row: integers and floating-point numbers become
/// number cells, strings are read with ``TableCell/init(reading:)``.
public protocol TableCellConvertible {
    /// The cell that shows this value.
    var tableCell: TableCell { get }
}

extension TableCell: TableCellConvertible {
    /// The cell itself.
    public var tableCell: TableCell { self }
}

extension String: TableCellConvertible {
    /// A number cell when the string reads as a number, else a text cell.
    public var tableCell: TableCell { TableCell(reading: self) }
}

extension Substring: TableCellConvertible {
    /// A number cell when the text reads as a number, else a text cell.
    public var tableCell: TableCell { TableCell(reading: String(self)) }
}

extension Bool: TableCellConvertible {
    /// `true` or `false` as text.
    public var tableCell: TableCell { .text(String(describing: self)) }
}

extension TableCellConvertible where Self: BinaryInteger {
    /// The integer in decimal digits, as a number cell.
    public var tableCell: TableCell {
        .number(FormattedNumber(text: String(describing: self), format: .integer))
    }
}

extension TableCellConvertible where Self: BinaryFloatingPoint & LosslessStringConvertible {
    /// Swift's shortest text for the value (`0.1` for both `Float` and `Double`), as a
    /// number cell.
    public var tableCell: TableCell {
        .number(FormattedNumber(text: String(describing: self), format: .shortest))
    }
}

extension Int: TableCellConvertible {}
extension Int8: TableCellConvertible {}
extension Int16: TableCellConvertible {}
extension Int32: TableCellConvertible {}
extension Int64: TableCellConvertible {}
extension UInt: TableCellConvertible {}
extension UInt8: TableCellConvertible {}
extension UInt16: TableCellConvertible {}
extension UInt32: TableCellConvertible {}
extension UInt64: TableCellConvertible {}
extension Double: TableCellConvertible {}
extension Float: TableCellConvertible {}
