import Foundation

/// The stored outputs of notebooks: one folder per notebook under `<work>/cache/`, holding
/// `record.json` (a ``RunRecord`` with its cache key) and the files its items name. A folder is
/// replaced as a whole, so a failed run never leaves half of a record.
public struct OutputCache: Sendable {
    /// The folder holding one folder per notebook.
    public var directory: URL

    /// Creates a cache in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The folder where a notebook's last successful outputs are stored.
    public func folder(for notebook: Notebook) -> URL {
        directory.appendingPathComponent(notebook.name)
    }

    /// The stored outputs of a notebook, if any, whatever their key.
    public func record(for notebook: Notebook) -> RunRecord? {
        let url = folder(for: notebook).appendingPathComponent("record.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(RunRecord.self, from: data)
    }

    /// The stored outputs of a notebook when they belong to `key`.
    public func record(for notebook: Notebook, key: String) -> RunRecord? {
        record(for: notebook).flatMap { $0.cacheKey == key ? $0 : nil }
    }

    /// Stores a successful record as the notebook's outputs, with the files in `outputs` (which
    /// is moved, not copied), replacing what was stored before.
    public func store(_ record: RunRecord, outputs: URL?, for notebook: Notebook) throws {
        let manager = FileManager.default
        let destination = folder(for: notebook)
        let staging = directory.appendingPathComponent(".\(notebook.name).new-\(getpid())")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        if let outputs {
            try manager.moveItem(at: outputs, to: staging)
        } else {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(record).write(to: staging.appendingPathComponent("record.json"))
        try FileWriting.swapDirectory(staging, into: destination)
    }
}
