import Foundation

/// Reads the modules notebook programs may import from a project's manifest.
///
/// Every library product of the project is importable; a product's modules are its targets,
/// each built from its own folder and the folders of the project targets it depends on,
/// directly or not. The manifest is read with `swift package dump-package` (the manifest as
/// JSON, without resolving dependencies: a fraction of a second), so the list is never
/// repeated by hand and a new product is importable as soon as `Package.swift` declares it.
public enum PackageModules {
    /// The importable modules of the package at `projectRoot`, sorted by name.
    ///
    /// - Parameter scratchDirectory: SwiftPM's scratch folder for reading the manifest (kept
    ///   apart from the project's `.build/` so that a running build does not block it).
    /// - Throws: ``NotebookError`` naming the manifest when it cannot be read.
    public static func importable(
        fromPackageAt projectRoot: URL, scratchDirectory: URL
    ) throws -> [ImportableModule] {
        let manifest = projectRoot.appendingPathComponent("Package.swift").path
        let arguments = [
            "swift", "package", "dump-package", "--package-path", projectRoot.path,
            "--scratch-path", scratchDirectory.path,
        ]
        let result: Subprocess.Result
        do {
            var process = Subprocess(executable: "/usr/bin/env", arguments: arguments)
            process.mergesStandardError = false
            result = try process.run()
        } catch {
            throw NotebookError(
                file: manifest, message: "cannot start 'swift package dump-package': \(error)")
        }
        guard result.isSuccess else {
            let message = String(decoding: result.errorOutput, as: UTF8.self)
            throw NotebookError(
                file: manifest, message: "cannot read the package's manifest: \(message)")
        }
        return try importable(fromManifestJSON: result.output, manifestPath: manifest)
    }

    /// The importable modules described by the output of `swift package dump-package`.
    ///
    /// - Throws: ``NotebookError`` naming `manifestPath` when the JSON has another shape.
    public static func importable(
        fromManifestJSON json: Data, manifestPath: String
    ) throws -> [ImportableModule] {
        let manifest: DumpedManifest
        do {
            manifest = try JSONDecoder().decode(DumpedManifest.self, from: json)
        } catch {
            throw NotebookError(
                file: manifestPath, message: "unexpected 'dump-package' output: \(error)")
        }
        let targets = Dictionary(manifest.targets.map { ($0.name, $0) }) { first, _ in first }
        var modules: [ImportableModule] = []
        for product in manifest.products where product.isLibrary {
            for name in product.targets {
                let folders = closure(of: name, in: targets).compactMap { targets[$0]?.folder }
                modules.append(
                    ImportableModule(name: name, product: product.name, sourceFolders: folders.sorted()))
            }
        }
        return modules.sorted { $0.name < $1.name }
    }

    /// The target and every project target it depends on, directly or not.
    static func closure(of name: String, in targets: [String: DumpedManifest.Target]) -> Set<String> {
        var found: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard found.insert(next).inserted, let target = targets[next] else { continue }
            pending += target.localDependencies.filter { targets[$0] != nil }
        }
        return found
    }
}
