import Foundation

@testable import NotebookKit

/// Shared helpers for the notebook runner's tests.
enum TestSupport {
    /// The repository root (the folder with the project's `Package.swift`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The modules of this repository that notebooks may import, read from its manifest once
    /// (empty when it cannot be read, which the runner then reports).
    static let projectModules: [ImportableModule] =
        (try? PackageModules.importable(
            fromPackageAt: repositoryRoot,
            scratchDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(
                "notebookkit-tests-manifest"))) ?? []

    /// A fresh temporary folder.
    static func makeTemporaryDirectory(_ name: String = #function) throws -> URL {
        let cleaned = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("notebookkit-\(cleaned)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `folder/name` and returns its URL.
    @discardableResult
    static func write(_ text: String, to name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Every file of a folder with its bytes, for byte-for-byte comparisons.
    static func snapshot(of folder: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        for path in FileWriting.files(under: folder) {
            result[path] = FileManager.default.contents(
                atPath: folder.appendingPathComponent(path).path
            )
        }
        return result
    }

    /// Collects log lines from a runner.
    final class LogCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [String] = []

        func append(_ line: String) {
            lock.lock()
            storage.append(line)
            lock.unlock()
        }

        var lines: [String] {
            lock.lock()
            defer { lock.unlock() }
            return storage
        }
    }
}
