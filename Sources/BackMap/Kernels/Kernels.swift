import LinearAlgebra

/// Batched tensor kernels. A batch of `n` feature maps of one ``Shape`` is a flat array of
/// `n · shape.count` scalars, item after item, each item in HWC order. The same kernels serve
/// the forward pass (`n = 1`), forward-mode tangents (one item per tangent direction) and the
/// adjoint (transposed kernels, one item per seed).
enum Kernels {
    /// Upper bound on the scalars of one im2col buffer (32 MiB in float32).
    static let columnBudget = 1 << 20

    /// An array whose every element the caller overwrites before reading (GEMM outputs with
    /// β = 0, im2col buffers); skips zero-filling, which costs as much as a copy.
    @inline(__always)
    static func uninitialized<T: BLASScalar>(_ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

}
