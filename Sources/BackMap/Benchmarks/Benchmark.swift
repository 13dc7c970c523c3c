import Foundation
import LinearAlgebra

/// Timing helpers for `backmap bench`.
public enum Benchmark {
    /// The median wall time of `repeats` runs of `body`, in seconds.
    public static func median(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<max(repeats, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// The best GEMM throughput of `size³` products in this precision, in GFLOP/s, with
    /// OpenBLAS on all of the engine's ``ParallelWork/threads`` for the measurement.
    public static func gemmPeak<T: BLASScalar>(as type: T.Type, size: Int = 1024, repeats: Int = 5)
        -> Double
    {
        Engine.withBLASThreads(Engine.configuration.threads) {
            measureGEMM(as: T.self, size: size, repeats: repeats)
        }
    }

    private static func measureGEMM<T: BLASScalar>(as type: T.Type, size: Int, repeats: Int) -> Double {
        var generator = SeededGenerator(seed: 1)
        let a = (0..<(size * size)).map { _ in T(generator.uniform(-1, 1)) }
        let b = (0..<(size * size)).map { _ in T(generator.uniform(-1, 1)) }
        var c = [T](repeating: 0, count: size * size)
        var best = Double.infinity
        for _ in 0..<max(repeats, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        BLAS.gemm(m: size, n: size, k: size, a: a, b: b, c: c)
                    }
                }
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return 2 * pow(Double(size), 3) / best / 1e9
    }

    /// The peak resident memory of this process (`VmHWM`), in bytes, where Linux reports it.
    public static func peakResidentMemory() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return nil
        }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            if let kilobytes = digits.first { return kilobytes * 1024 }
        }
        return nil
    }
}

extension ModelZoo {
    /// The bundled trained weights of a model, if present: `Models/<model>.safetensors` or
    /// `Models/<model>-cifar10.safetensors` under `root` (the repository root).
    public static func bundledWeights(for kind: ModelKind, root: URL) -> URL? {
        let folder = root.appendingPathComponent("Models")
        for name in ["\(kind.rawValue).safetensors", "\(kind.rawValue)-cifar10.safetensors"] {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }
}

/// The time one node of a ``FoldedNetwork`` takes on one image, forward and transposed.
public struct NodeTiming: Sendable {
    /// The folded node's name (`conv3`, `bn3`, `relu3`, …).
    public var name: String
    /// The node's output shape.
    public var shape: Shape
    /// Median seconds of the node's forward computation (pattern fixed).
    public var forward: Double
    /// Median seconds of its transpose (the adjoint step of a back-map).
    public var transposed: Double
    /// Multiply-adds ×2 of the forward (and of the transpose) for convolutions and dense nodes.
    public var flops: Double
}

extension FoldedNetwork {
    /// Times every node's linear part and its transpose on one image (batch 1), median of
    /// `repeats`: where a single-unit back-map spends its time. Bias nodes time the bias
    /// addition forward and the per-channel sum of the adjoint backward.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func nodeTimings(_ image: [T], repeats: Int = 21) throws -> [NodeTiming] {
        let pass = try forward(image, scale: 1)
        var timings: [NodeTiming] = []
        for (index, node) in nodes.enumerated() where index > 0 {
            let inputs = node.inputs.map { pass.values[$0] }
            let gradient = Patch.full(pass.values[index], shape: node.shape)
            let context = ForwardContext(
                image: image, scale: 1, biasValues: biasValues, shapes: node.shapes, region: nil,
                inputRegions: node.inputs.map { _ in nil })
            let forwardTime = Benchmark.median(repeats: repeats) {
                _ = node.operation.forward(inputs, context: context)
            }
            let transposedTime = Benchmark.median(repeats: repeats) {
                if node.operation.biasEntries != nil {
                    var sums = [T](repeating: 0, count: biasValues.count)
                    node.operation.accumulateBiasGradient(
                        gradient, batch: 1, into: &sums, biasCount: biasValues.count)
                }
                _ = applyTransposed(index, gradient: gradient, batch: 1, pass: pass)
            }
            timings.append(
                NodeTiming(
                    name: node.name, shape: node.shape, forward: forwardTime,
                    transposed: transposedTime, flops: node.operation.productFlops))
        }
        return timings
    }
}
