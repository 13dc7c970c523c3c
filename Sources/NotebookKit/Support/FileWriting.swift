import Foundation

/// File-system helpers shared by the runner and the site builder.
enum FileWriting {
    /// Writes `data` to `url` only when the file's contents differ, and then makes the whole
    /// seconds of its modification time move forward.
    ///
    /// `swift build` can keep a stale object file when a source is rewritten twice within the
    /// same wall-clock second; pushing the time forward makes every change visible to it.
    ///
    /// - Returns: Whether the file was written.
    @discardableResult
    static func writeIfChanged(_ data: Data, to url: URL) throws -> Bool {
        let manager = FileManager.default
        if let existing = manager.contents(atPath: url.path), existing == data { return false }
        let previous =
            (try? manager.attributesOfItem(atPath: url.path))?[.modificationDate]
            as? Date
        try manager.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true
        )
        try data.write(to: url, options: .atomic)
        if let previous {
            // At least the next whole second after the previous time, so that tools comparing
            // times at one-second resolution see the change too.
            let nextSecond = Date(
                timeIntervalSince1970: previous.timeIntervalSince1970.rounded(.down) + 1
            )
            let later = max(Date(), nextSecond)
            try manager.setAttributes([.modificationDate: later], ofItemAtPath: url.path)
        }
        return true
    }

    /// Every regular file under `directory`, as paths relative to it, sorted.
    static func files(under directory: URL) -> [String] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey]
            )
        else { return [] }
        let base = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var result: [String] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey])
            guard values?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard path.hasPrefix(base + "/") else { continue }
            result.append(String(path.dropFirst(base.count + 1)))
        }
        return result.sorted()
    }

    /// Replaces the folder at `destination` by `source` (a sibling folder), so that readers see
    /// either the old or the new contents, never a mix.
    static func swapDirectory(_ source: URL, into destination: URL) throws {
        let manager = FileManager.default
        let old = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).old-\(getpid())")
        try? manager.removeItem(at: old)
        if manager.fileExists(atPath: destination.path) {
            try manager.moveItem(at: destination, to: old)
        }
        do {
            try manager.moveItem(at: source, to: destination)
        } catch {
            if manager.fileExists(atPath: old.path) {
                try? manager.moveItem(at: old, to: destination)
            }
            throw error
        }
        try? manager.removeItem(at: old)
    }
}
