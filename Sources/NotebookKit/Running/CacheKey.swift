import Foundation

/// The cache key of a notebook's run: a SHA-256 over everything that can change its outputs.
///
/// It covers, in this order: the runner's format version; the build configuration; the
/// generated `main.swift` (every run block's code, options and line numbers, and the notebook's
/// path); the project modules the program links; every file, with its path, in the folders
/// those modules are built from (``ImportableModule/sourceFolders``, their dependency closure:
/// `NotebookSupport` brings `PNGCodec` and `CPNG`, `BackMap` brings `LinearAlgebra` and
/// `COpenBLAS`); the project's `Package.swift`; and each file listed under `inputs:` in the front matter (every
/// file inside it for a folder), with its path. Prose, titles and the time limit are not in the
/// key: changing them only re-renders.
public struct CacheKey: Hashable, Sendable {
    /// The runner's format version; bump it when generated programs or records change shape.
    public static let formatVersion = "notebook-runner/2"

    /// The key as 64 hexadecimal digits.
    public var value: String

    /// Computes the key of a notebook's program.
    ///
    /// - Parameters:
    ///   - mainSource: The generated `main.swift`.
    ///   - dependencies: The project modules the program links.
    ///   - configuration: The build configuration.
    ///   - projectRoot: The project's folder.
    ///   - inputs: Input files relative to `projectRoot`.
    ///   - notebook: The notebook, to name in errors about missing inputs.
    /// - Throws: ``NotebookError`` when an input file does not exist.
    public init(
        mainSource: String, dependencies: [ImportableModule], configuration: BuildConfiguration,
        projectRoot: URL,
        inputs: [String], notebook: Notebook
    ) throws {
        var hash = ContentHash()
        hash.update(field: Self.formatVersion)
        hash.update(field: configuration.rawValue)
        hash.update(field: mainSource)
        hash.update(field: dependencies.map(\.name).joined(separator: ","))
        let folders = Set(dependencies.flatMap(\.sourceFolders))
        for folder in folders.sorted() {
            let url = projectRoot.appendingPathComponent(folder)
            for path in FileWriting.files(under: url) {
                hash.update(field: "\(folder)/\(path)")
                hash.update(field: Self.digest(of: url.appendingPathComponent(path)))
            }
        }
        hash.update(field: Self.digest(of: projectRoot.appendingPathComponent("Package.swift")))
        for input in inputs {
            let url = projectRoot.appendingPathComponent(input)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw NotebookError(
                    file: notebook.path,
                    message: "input '\(input)' listed in the front matter does not exist "
                        + "(paths are relative to \(projectRoot.path))"
                )
            }
            hash.update(field: input)
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                for path in FileWriting.files(under: url) {
                    hash.update(field: path)
                    hash.update(field: Self.digest(of: url.appendingPathComponent(path)))
                }
            } else {
                hash.update(field: Self.digest(of: url))
            }
        }
        value = hash.hexDigest()
    }

    private static func digest(of url: URL) -> String {
        var hash = ContentHash()
        if let data = FileManager.default.contents(atPath: url.path) {
            hash.update(data)
        } else {
            hash.update(field: "<missing>")
        }
        return hash.hexDigest()
    }
}
