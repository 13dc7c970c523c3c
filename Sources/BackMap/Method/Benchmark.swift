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
        let engineThreads = ParallelWork.threads
        let previous = BLAS.threadCount
        BLAS.setThreadCount(engineThreads)
        defer { BLAS.setThreadCount(previous) }
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
