extension Shape {
    /// Every spatial position, row by row: what `Σ_s` runs over.
    ///
    /// ```swift
    /// let rm2s = layer.shape.rowsAndColumns.map { Mode.rm2(layer: 4, channel: 7, row: $0.row, column: $0.column) }
    /// ```
    public var rowsAndColumns: [(row: Int, column: Int)] {
        (0..<height).flatMap { row in (0..<width).map { (row: row, column: $0) } }
    }
}
