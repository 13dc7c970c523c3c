import LinearAlgebra

extension Kernels {
    // MARK: Dense

    /// `output = input · weight` for a batch (`weight` is `inFeatures × outFeatures`).
    static func dense<T: BLASScalar>(
        _ input: [T], batch: Int, weight: [T], inFeatures: Int, outFeatures: Int
    ) -> [T] {
        var output: [T] = uninitialized(batch * outFeatures)  // GEMM with β = 0
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    BLAS.gemm(m: batch, n: outFeatures, k: inFeatures, a: x, b: w, c: y)
                }
            }
        }
        return output
    }

    /// The transpose of ``dense``.
    static func denseTransposed<T: BLASScalar>(
        _ gradient: [T], batch: Int, weight: [T], inFeatures: Int, outFeatures: Int
    ) -> [T] {
        var result: [T] = uninitialized(batch * inFeatures)  // GEMM with β = 0
        gradient.withUnsafeBufferPointer { dy in
            weight.withUnsafeBufferPointer { w in
                result.withUnsafeMutableBufferPointer { dx in
                    BLAS.gemm(
                        transposeB: true, m: batch, n: inFeatures, k: outFeatures,
                        a: dy, b: w, ldb: outFeatures, c: dx)
                }
            }
        }
        return result
    }

}
