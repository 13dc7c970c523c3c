import Foundation
import Testing

@testable import NotebookKit

/// The importable modules come from the project's manifest, with their dependency closure.
@Suite("Importable modules")
struct PackageModulesTests {
    /// A manifest as `swift package dump-package` writes it, cut down to what is read.
    static let manifest = """
        {
          "products": [
            {"name": "Engine", "targets": ["Engine"], "type": {"library": ["automatic"]}},
            {"name": "Runtime", "targets": ["NotebookSupport"], "type": {"library": ["automatic"]}},
            {"name": "tool", "targets": ["tool"], "type": {"executable": null}}
          ],
          "targets": [
            {"name": "CBlas", "type": "system", "dependencies": []},
            {"name": "Maths", "type": "regular", "path": "Lib/Maths",
             "dependencies": [{"byName": ["CBlas", null]}]},
            {"name": "Engine", "type": "regular", "dependencies": [
              {"byName": ["Maths", null]}, {"target": ["NotebookSupport", null]},
              {"product": ["Yams", "Yams", null, null]}]},
            {"name": "NotebookSupport", "type": "regular", "dependencies": [{"byName": ["Yams", null]}]},
            {"name": "tool", "type": "executable", "dependencies": [{"byName": ["Engine", null]}]}
          ]
        }
        """

    @Test func librariesAreImportableWithTheFoldersOfTheirClosure() throws {
        let modules = try PackageModules.importable(
            fromManifestJSON: Data(Self.manifest.utf8), manifestPath: "Package.swift")
        #expect(
            modules == [
                ImportableModule(
                    name: "Engine", product: "Engine",
                    sourceFolders: [
                        "Lib/Maths", "Sources/CBlas", "Sources/Engine", "Sources/NotebookSupport",
                    ]),
                ImportableModule(
                    name: "NotebookSupport", product: "Runtime", sourceFolders: ["Sources/NotebookSupport"]),
            ])
    }

    @Test func anUnexpectedManifestNamesTheFile() {
        #expect {
            try PackageModules.importable(
                fromManifestJSON: Data(#"{"products": 3}"#.utf8), manifestPath: "P.swift")
        } throws: { error in
            (error as? NotebookError)?.description.hasPrefix(
                "P.swift: error: unexpected 'dump-package' output")
                == true
        }
    }

    @Test func thisProjectsEngineBringsItsLibrariesIntoTheKey() throws {
        let modules = Dictionary(uniqueKeysWithValues: TestSupport.projectModules.map { ($0.name, $0) })
        let backMap = try #require(modules["BackMap"])
        for folder in [
            "Sources/BackMap", "Sources/LinearAlgebra", "Sources/COpenBLAS", "Sources/NotebookSupport",
        ] {
            #expect(backMap.sourceFolders.contains(folder), "\(folder)")
        }
        #expect(
            modules[ImportableModule.runtimeModuleName]?.sourceFolders.contains("Sources/PNGCodec") == true)
        #expect(modules["ONNXImport"] != nil)
        #expect(modules["backmap"] == nil && modules["notebook"] == nil)
    }

    @Test func aMissingRuntimeModuleIsReported() throws {
        let notebook = try Notebook(source: "```swift\nprint(1)\n```\n", path: "Notebooks/x.md")
        #expect {
            try ProgramGenerator(modules: []).dependencies(of: notebook)
        } throws: { error in
            (error as? NotebookError)?.message.contains("do not include NotebookSupport") == true
        }
    }
}
