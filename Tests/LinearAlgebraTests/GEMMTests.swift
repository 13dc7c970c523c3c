import LinearAlgebra
import Testing

@Suite("Matrix products through OpenBLAS")
struct GEMMTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func random<T: BLASScalar>(_ count: Int, seed: UInt64) -> [T]
    where T.RawSignificand: FixedWidthInteger {
        var generator = SplitMix(state: seed)
        return (0..<count).map { _ in T.random(in: -1...1, using: &generator) }
    }

    /// The textbook triple loop, accumulated in Double.
    static func naive<T: BLASScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: T, a: [T], b: [T], beta: T, c: [T]
    ) -> [Double] {
        var result = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let aValue = transposeA ? a[p * m + i] : a[i * k + p]
                    let bValue = transposeB ? b[j * k + p] : b[p * n + j]
                    sum += Double(aValue) * Double(bValue)
                }
                result[i * n + j] = Double(alpha) * sum + Double(beta) * Double(c[i * n + j])
            }
        }
        return result
    }

    static func check<T: BLASScalar>(_: T.Type, tolerance: Double, transposeA: Bool, transposeB: Bool)
    where T.RawSignificand: FixedWidthInteger {
        let m = 37
        let n = 53
        let k = 129
        let a: [T] = random(m * k, seed: 1)
        let b: [T] = random(k * n, seed: 2)
        var c: [T] = random(m * n, seed: 3)
        let expected = naive(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            alpha: T(0.5), a: a, b: b, beta: T(-2), c: c
        )
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                        alpha: T(0.5), a: a, b: b, beta: T(-2), c: c
                    )
                }
            }
        }
        let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(
            worst < tolerance,
            "worst deviation \(worst) for \(T.self) transposeA=\(transposeA) transposeB=\(transposeB)")
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func floatMatchesNaiveLoop(transposeA: Bool, transposeB: Bool) {
        Self.check(Float.self, tolerance: 1e-4, transposeA: transposeA, transposeB: transposeB)
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func doubleMatchesNaiveLoop(transposeA: Bool, transposeB: Bool) {
        Self.check(Double.self, tolerance: 1e-12, transposeA: transposeA, transposeB: transposeB)
    }

    @Test func matrixProductAndTranspose() {
        let a = Matrix<Double>(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        let b = Matrix<Double>(rows: 3, columns: 2, storage: [7, 8, 9, 10, 11, 12])
        #expect((a * b).storage == [58, 64, 139, 154])
        #expect(a.transposed.storage == [1, 4, 2, 5, 3, 6])
        #expect((a * Matrix(rows: 3, columns: 0)).storage.isEmpty)
    }

    @Test func threadCountCanBeSet() {
        let before = BLAS.threadCount
        BLAS.setThreadCount(1)
        #expect(BLAS.threadCount == 1)
        BLAS.setThreadCount(before)
        #expect(BLAS.threadCount == before)
    }
}
