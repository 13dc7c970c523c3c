import Foundation

/// Finds the Swift package a notebook is built against.
public enum ProjectLocator {
    /// The nearest folder at or above `start` holding a `Package.swift`.
    public static func packageRoot(above start: URL) -> URL? {
        var folder = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("Package.swift").path)
            {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The project for a notebook or folder of notebooks: the package above it, else the
    /// package the command runs in (the current directory, as with `swift run notebook`), so
    /// that notebooks kept outside the project (a lecturer's own folder) build against it.
    ///
    /// - Parameters:
    ///   - target: The notebook file or folder.
    ///   - isDirectory: Whether `target` is a folder.
    ///   - currentDirectory: The command's working directory.
    public static func projectRoot(for target: URL, isDirectory: Bool, currentDirectory: URL) -> URL? {
        packageRoot(above: isDirectory ? target : target.deletingLastPathComponent())
            ?? packageRoot(above: currentDirectory)
    }
}
