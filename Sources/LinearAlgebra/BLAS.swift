import COpenBLAS

/// A floating-point type that OpenBLAS multiplies natively: `Float` (`sgemm`) or `Double` (`dgemm`).
public protocol BLASScalar: BinaryFloatingPoint, Sendable {
    /// Calls the CBLAS general matrix multiply for this precision (row-major storage).
    static func _cblasGEMM(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int
    )
}

extension Float: BLASScalar {
    public static func _cblasGEMM(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
            beta, c, blasint(ldc)
        )
    }
}

extension Double: BLASScalar {
    public static func _cblasGEMM(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
            beta, c, blasint(ldc)
        )
    }
}

/// Entry points into OpenBLAS: thread control and checked matrix products.
///
/// Threading: OpenBLAS splits each product over its threads (by default one per core). The
/// `BackMap` engine sets it to one thread on first use and parallelises in Swift instead (see
/// `ParallelWork` there); never call BLAS concurrently from several threads while OpenBLAS
/// itself is multi-threaded.
public enum BLAS {
    /// The number of threads OpenBLAS uses for each product.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The CPU kernel family OpenBLAS chose at load time (`SkylakeX`, `Haswell`, …).
    ///
    /// In a virtual machine OpenBLAS may not recognise the processor and fall back to
    /// `Prescott`, which is about 8× slower on an AVX-512 machine; setting the environment
    /// variable `OPENBLAS_CORETYPE` (for example to `SkylakeX` or `Haswell`) before the program
    /// starts overrides the detection. Benchmarks print this name next to their numbers.
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// Sets the number of threads OpenBLAS uses; call once at start-up, before any product.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "OpenBLAS needs at least one thread")
        openblas_set_num_threads(Int32(count))
    }

    /// Computes `C = alpha · op(A) · op(B) + beta · C` on row-major buffers.
    ///
    /// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`. Leading dimensions default to
    /// the packed row length. Buffer sizes are checked before OpenBLAS sees them.
    ///
    /// - Complexity: `2·m·n·k` floating-point operations.
    public static func gemm<T: BLASScalar>(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: T = 1, a: UnsafeBufferPointer<T>, lda: Int? = nil,
        b: UnsafeBufferPointer<T>, ldb: Int? = nil,
        beta: T = 0, c: UnsafeMutableBufferPointer<T>, ldc: Int? = nil
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative dimension")
        if m == 0 || n == 0 { return }
        let lda = lda ?? (transposeA ? m : k)
        let ldb = ldb ?? (transposeB ? k : n)
        let ldc = ldc ?? n
        let aRows = transposeA ? k : m
        let aCols = transposeA ? m : k
        let bRows = transposeB ? n : k
        let bCols = transposeB ? k : n
        precondition(
            lda >= max(aCols, 1) && ldb >= max(bCols, 1) && ldc >= max(n, 1),
            "gemm: leading dimension too small")
        precondition(k == 0 || a.count >= (aRows - 1) * lda + aCols, "gemm: A buffer too small")
        precondition(k == 0 || b.count >= (bRows - 1) * ldb + bCols, "gemm: B buffer too small")
        precondition(c.count >= (m - 1) * ldc + n, "gemm: C buffer too small")
        guard k > 0, let aBase = a.baseAddress, let bBase = b.baseAddress else {
            // An empty inner dimension: C = beta·C.
            for row in 0..<m {
                for column in 0..<n { c[row * ldc + column] *= beta }
            }
            return
        }
        guard let cBase = c.baseAddress else { return }
        T._cblasGEMM(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            alpha: alpha, a: aBase, lda: lda, b: bBase, ldb: ldb,
            beta: beta, c: cBase, ldc: ldc
        )
    }
}
