import Foundation
import Synchronization

/// The runtime that a generated notebook program calls between blocks and that the `show`
/// functions report to.
///
/// Events go to standard output as marker lines (see ``OutputEvent``); files go into the folder
/// named by `NOTEBOOK_OUTPUT_DIR` (the current directory when it is unset).
public enum NotebookRuntime {
    /// The folder where images and charts are written.
    public static var outputDirectory: URL {
        let path =
            ProcessInfo.processInfo.environment["NOTEBOOK_OUTPUT_DIR"]
            ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Marks the start of block `index` (0-based); called by the generated program.
    public static func beginBlock(_ index: Int) {
        emit(OutputEvent.begin(block: index))
    }

    /// Marks the successful end of the program; called by the generated program.
    public static func finish() {
        emit(OutputEvent.finish)
    }

    /// Records the error an `expect-error` block threw, as that block's output.
    public static func reportExpectedError(_ error: any Error) {
        emit(OutputItem.error(message: describe(error), isExpected: true))
    }

    /// Stops the program because an `expect-error` block finished without throwing.
    public static func reportMissingExpectedError() -> Never {
        emit(
            OutputItem.error(
                message: "this block is marked expect-error but finished without throwing an error",
                isExpected: false))
        exit(3)
    }

    /// Sends an output item to the runner.
    public static func emit(_ item: OutputItem) {
        emit(OutputEvent.item(item))
    }

    /// Writes `data` into the output folder under a fresh, deterministic name with extension
    /// `pathExtension` and returns that name.
    ///
    /// - Throws: When the file cannot be written.
    public static func writeOutputFile(_ data: Data, pathExtension: String) throws -> String {
        let name = String(format: "output-%04d.%@", counter.next(), pathExtension)
        let directory = outputDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try data.write(to: directory.appendingPathComponent(name), options: .atomic)
        return name
    }

    /// A human-readable description of an error: its `description` when it has one, else
    /// its type and payload.
    public static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}

// MARK: - Private

extension NotebookRuntime {
    fileprivate static let counter = Counter()

    fileprivate static func emit(_ event: OutputEvent) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(event) else {
            preconditionFailure("an OutputEvent always encodes as JSON")
        }
        // The user's `print` goes through C stdio; flush it first so that text and events keep
        // their order on the pipe, then write the event with one unbuffered system call.
        fflush(nil)
        var line = Data(OutputEvent.marker.utf8)
        line.append(json)
        line.append(0x0A)
        FileHandle.standardOutput.write(line)
    }
}

/// A thread-safe counter for output file names.
private final class Counter: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
