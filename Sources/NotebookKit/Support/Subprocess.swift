import Foundation
import Synchronization

/// A child process whose output is read while it runs (so that a full pipe never blocks it),
/// with an optional time limit.
struct Subprocess {
    /// How a child process ended.
    struct Result {
        /// The exit status, or the signal number when ``isSignaled``.
        var status: Int32
        /// Whether a signal ended the process (a crash or the time limit).
        var isSignaled: Bool
        /// Whether the time limit stopped the process.
        var isTimedOut: Bool
        /// Standard output (with standard error when merged).
        var output: Data
        /// Standard error, when not merged.
        var errorOutput: Data
        /// Wall-clock seconds.
        var duration: Double

        /// Whether the process exited normally with status 0.
        var isSuccess: Bool { !isSignaled && !isTimedOut && status == 0 }
    }

    var executable: String
    var arguments: [String]
    var environment: [String: String] = [:]
    var currentDirectory: URL?
    var timeout: Double?
    var mergesStandardError = true

    /// Runs the process to its end.
    ///
    /// - Parameters:
    ///   - onOutput: Called on a reader thread with each chunk of standard output.
    ///   - onTick: Called about every 50 ms on the calling thread while the process runs.
    /// - Throws: When the executable cannot be started.
    func run(
        onOutput: (@Sendable (Data) -> Void)? = nil, onTick: (() -> Void)? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = mergesStandardError ? outputPipe : errorPipe
        process.standardInput = FileHandle.nullDevice

        let output = DataCollector()
        let errorOutput = DataCollector()
        let readers = DispatchGroup()
        let start = Date()
        try process.run()
        read(outputPipe.fileHandleForReading, into: output, group: readers, onOutput: onOutput)
        if !mergesStandardError {
            read(errorPipe.fileHandleForReading, into: errorOutput, group: readers, onOutput: nil)
        }
        var isTimedOut = false
        while process.isRunning {
            if let timeout, Date().timeIntervalSince(start) > timeout {
                isTimedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            onTick?()
            usleep(50_000)
        }
        process.waitUntilExit()
        // A grandchild that inherited the pipe could keep it open after a kill; do not wait
        // for it forever.
        _ = readers.wait(timeout: isTimedOut ? .now() + 5 : .distantFuture)
        return Result(
            status: process.terminationStatus,
            isSignaled: process.terminationReason == .uncaughtSignal,
            isTimedOut: isTimedOut,
            output: output.data,
            errorOutput: errorOutput.data,
            duration: Date().timeIntervalSince(start)
        )
    }

    /// The absolute path of `command` on `PATH`, or `nil`.
    static func find(_ command: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private func read(
        _ handle: FileHandle, into collector: DataCollector, group: DispatchGroup,
        onOutput: (@Sendable (Data) -> Void)?
    ) {
        group.enter()
        DispatchQueue.global().async {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                collector.append(chunk)
                onOutput?(chunk)
            }
            group.leave()
        }
    }
}

/// Bytes gathered by a reader thread.
final class DataCollector: Sendable {
    private let storage = Mutex(Data())

    func append(_ chunk: Data) {
        storage.withLock { $0.append(chunk) }
    }

    var data: Data { storage.withLock { $0 } }
}
