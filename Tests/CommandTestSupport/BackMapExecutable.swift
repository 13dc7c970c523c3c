import Foundation

/// The `backmap` executable that `swift build` put beside the running test bundle, for tests
/// that run the command as a user does (VerifyCommandTests, ArgumentTests, InspectCommandTests).
public enum BackMapExecutable {
    /// What a finished run printed and how it exited.
    public struct Result: Sendable {
        /// The exit status (0 on success).
        public var status: Int32
        /// Standard output.
        public var output: Data
        /// Standard error, as text.
        public var error: String

        /// Standard output, as text.
        public var outputText: String { String(decoding: output, as: UTF8.self) }
    }

    /// No `backmap` beside the test bundle; the message says which paths were tried.
    public struct Missing: Error, CustomStringConvertible {
        /// The paths looked at, release first.
        public var candidates: [String]

        public var description: String {
            "no backmap executable at \(candidates.joined(separator: " or ")): run `swift build` first"
        }
    }

    /// The repository root (the folder holding `Package.swift`).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable: the release one when it exists (the test script builds it first, and it
    /// verifies an image in a fraction of a second), else the debug one beside the tests.
    ///
    /// - Throws: ``Missing`` when neither exists.
    public static func url() throws -> URL {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let release = products.deletingLastPathComponent().appendingPathComponent("release/backmap")
        let debug = products.appendingPathComponent("backmap")
        for candidate in [release, debug] where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw Missing(candidates: [release.path, debug.path])
    }

    /// Starts `backmap arguments` in the repository root with its output discarded.
    public static func launch(_ arguments: [String]) throws -> Process {
        let process = try process(arguments)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `backmap arguments` in the repository root to its end and returns what it printed.
    public static func run(_ arguments: [String]) throws -> Result {
        let process = try process(arguments)
        let output = Pipe()
        // Standard error goes to a file, so that neither stream can fill a pipe and block.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("backmap-\(UUID()).err")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: errorFile.path])
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let error = try FileHandle(forWritingTo: errorFile)
        defer { try? error.close() }
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: outputData,
            error: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self))
    }

    private static func process(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.currentDirectoryURL = repository
        return process
    }
}
