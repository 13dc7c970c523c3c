import Foundation
import Testing

@testable import NotebookKit

/// The cache key follows the sources of the modules a program links, and nothing else.
@Suite("Cache key")
struct CacheKeyTests {
    /// A project with an engine (built from two folders), an unrelated module and an input.
    private func makeProject() throws -> URL {
        let root = try TestSupport.makeTemporaryDirectory()
        for folder in ["Sources/Engine", "Sources/Maths", "Sources/Other", "Data"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try TestSupport.write("// engine\n", to: "Sources/Engine/Engine.swift", in: root)
        try TestSupport.write("// maths\n", to: "Sources/Maths/Maths.swift", in: root)
        try TestSupport.write("// other\n", to: "Sources/Other/Other.swift", in: root)
        try TestSupport.write("1 2 3\n", to: "Data/weights.txt", in: root)
        try TestSupport.write("// manifest\n", to: "Package.swift", in: root)
        return root
    }

    private static let engine = ImportableModule(
        name: "Engine", product: "Engine", sourceFolders: ["Sources/Engine", "Sources/Maths"])

    private func key(
        _ root: URL, configuration: BuildConfiguration = .release, inputs: [String] = ["Data/weights.txt"]
    ) throws -> String {
        let notebook = try Notebook(source: "# T\n", path: "Notebooks/t.md")
        return try CacheKey(
            mainSource: "print(1)\n", dependencies: [Self.engine], configuration: configuration,
            projectRoot: root, inputs: inputs, notebook: notebook
        ).value
    }

    @Test func engineSourcesChangeTheKey() throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try key(root)
        #expect(try key(root) == before)
        try TestSupport.write("// maths, faster\n", to: "Sources/Maths/Maths.swift", in: root)
        let edited = try key(root)
        #expect(edited != before)
        try TestSupport.write("// new\n", to: "Sources/Engine/New.swift", in: root)
        #expect(try key(root) != edited)
    }

    @Test func unrelatedSourcesDoNotChangeTheKey() throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try key(root)
        try TestSupport.write("// other, edited\n", to: "Sources/Other/Other.swift", in: root)
        #expect(try key(root) == before)
    }

    @Test func configurationManifestAndInputsChangeTheKey() throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let release = try key(root)
        #expect(try key(root, configuration: .debug) != release)
        try TestSupport.write("// manifest 2\n", to: "Package.swift", in: root)
        let manifest = try key(root)
        #expect(manifest != release)
        try TestSupport.write("1 2 4\n", to: "Data/weights.txt", in: root)
        #expect(try key(root) != manifest)
    }

    @Test func aMissingInputIsNamed() throws {
        let root = try makeProject()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect {
            try key(root, inputs: ["Data/absent.bin"])
        } throws: { error in
            let error = error as? NotebookError
            return error?.file == "Notebooks/t.md" && error?.message.contains("'Data/absent.bin'") == true
        }
    }
}
