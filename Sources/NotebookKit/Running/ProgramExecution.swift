import Foundation
import Synchronization

/// Runs one compiled notebook program to its end and reports where it is: a line when each
/// block begins, and a heartbeat every 10 s naming the block still running.
struct ProgramExecution {
    /// The notebook whose program runs.
    var notebook: Notebook
    /// The compiled program.
    var executable: URL
    /// The program's environment on top of the runner's own.
    var environment: [String: String]
    /// The folder the program runs in (the project root).
    var currentDirectory: URL
    /// The time limit in seconds.
    var timeout: Int
    /// Receives the progress lines.
    var log: @Sendable (String) -> Void

    /// Runs the program.
    ///
    /// - Throws: When the program cannot be started.
    func run() throws -> Subprocess.Result {
        let cells = notebook.cells
        let runCount = cells.filter(\.options.isRun).count
        let progress = BlockProgress()
        let log = self.log
        let start = Date()
        var lastHeartbeat = Date()
        let process = Subprocess(
            executable: executable.path, arguments: [], environment: environment,
            currentDirectory: currentDirectory, timeout: Double(timeout))
        return try process.run(
            onOutput: { chunk in
                for block in OutputParser.beganBlocks(in: chunk) where block < cells.count {
                    progress.set(block)
                    let position = cells.filter { $0.options.isRun && $0.index <= block }.count
                    log(
                        String(
                            format: "  block %d/%d (line %d) at %.1f s", position, runCount,
                            cells[block].fenceLine, Date().timeIntervalSince(start)))
                }
            },
            onTick: {
                guard Date().timeIntervalSince(lastHeartbeat) >= 10, let block = progress.current else {
                    return
                }
                lastHeartbeat = Date()
                log(
                    String(
                        format: "  … still in the block at line %d, %.0f s elapsed",
                        cells[block].fenceLine, Date().timeIntervalSince(start)))
            })
    }
}

/// The block a running program is in, shared between the reader thread and the waiting loop.
private final class BlockProgress: Sendable {
    private let block = Mutex<Int?>(nil)

    func set(_ value: Int) {
        block.withLock { $0 = value }
    }

    var current: Int? { block.withLock { $0 } }
}
