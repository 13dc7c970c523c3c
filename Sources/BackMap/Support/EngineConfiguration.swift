import Foundation
import LinearAlgebra
import Synchronization

/// How the engine uses the machine: the threads it runs work on, and OpenBLAS's threads.
///
/// Threading policy: the engine parallelises in Swift and keeps OpenBLAS on one thread.
/// OpenBLAS's own threading pays a wake-up and a barrier per product, which costs more than the
/// product itself at the sizes of one image's layers (measured: about a quarter of the run time
/// spent in `sched_yield`), and OpenBLAS must not be called from several threads while it is
/// multi-threaded itself.
public struct EngineConfiguration: Hashable, Sendable {
    /// Threads the engine runs independent work items (tangent chunks) and split products on.
    public var threads: Int
    /// Threads OpenBLAS uses for each product while the engine runs.
    public var blasThreads: Int

    /// A configuration.
    public init(threads: Int, blasThreads: Int = 1) {
        self.threads = max(1, threads)
        self.blasThreads = max(1, blasThreads)
    }

    /// The machine's default: `$BACKMAP_THREADS`, else `$OPENBLAS_NUM_THREADS`, else one thread
    /// per active core; OpenBLAS on one thread.
    public static func detected(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> EngineConfiguration
    {
        for key in ["BACKMAP_THREADS", "OPENBLAS_NUM_THREADS"] {
            if let value = environment[key].flatMap(Int.init), value > 0 {
                return EngineConfiguration(threads: value)
            }
        }
        return EngineConfiguration(threads: ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// The engine's process-wide settings, set explicitly with ``configure(_:)``; until then the
/// first engine call applies ``EngineConfiguration/detected(environment:)``.
///
/// ```swift
/// Engine.configure(EngineConfiguration(threads: 1))   // e.g. one job per core
/// ```
public enum Engine {
    private static let current = Mutex<EngineConfiguration?>(nil)

    /// The configuration in force (applying the detected one if none was set).
    public static var configuration: EngineConfiguration {
        current.withLock { state in
            if let state { return state }
            let detected = EngineConfiguration.detected()
            BLAS.setThreadCount(detected.blasThreads)
            state = detected
            return detected
        }
    }

    /// Makes `configuration` the one in force and sets OpenBLAS's thread count to match.
    public static func configure(_ configuration: EngineConfiguration) {
        current.withLock { state in
            BLAS.setThreadCount(configuration.blasThreads)
            state = configuration
        }
    }

    /// Runs `body` with OpenBLAS on `threads` threads (for measuring OpenBLAS itself), then
    /// restores the configured count. Do not run engine work concurrently with it.
    public static func withBLASThreads<Result>(_ threads: Int, _ body: () throws -> Result) rethrows
        -> Result
    {
        let configured = configuration
        BLAS.setThreadCount(max(1, threads))
        defer { BLAS.setThreadCount(configured.blasThreads) }
        return try body()
    }
}
