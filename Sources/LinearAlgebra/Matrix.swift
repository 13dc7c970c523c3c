/// A dense row-major matrix, a value type over a Swift array.
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries, row after row.
    public var storage: [Scalar]

    /// Creates a matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative size")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// Creates a matrix from row-major entries; `storage.count` must be `rows · columns`.
    public init(rows: Int, columns: Int, storage: [Scalar]) {
        precondition(
            storage.count == rows * columns, "Matrix: \(storage.count) entries for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// The entry at `row`, `column`.
    public subscript(row: Int, column: Int) -> Scalar {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The transpose.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for row in 0..<rows {
            for column in 0..<columns { result[column, row] = self[row, column] }
        }
        return result
    }

    /// The matrix product `lhs · rhs`, computed by OpenBLAS.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(
            lhs.columns == rhs.rows, "Matrix product: \(lhs.rows)×\(lhs.columns) · \(rhs.rows)×\(rhs.columns)"
        )
        var result = Matrix(rows: lhs.rows, columns: rhs.columns)
        lhs.storage.withUnsafeBufferPointer { a in
            rhs.storage.withUnsafeBufferPointer { b in
                result.storage.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(m: lhs.rows, n: rhs.columns, k: lhs.columns, a: a, b: b, c: c)
                }
            }
        }
        return result
    }
}
