import Foundation
import Testing

@testable import FuzzTargets

/// Every input kept under `Inputs/<target>/` (crashes that fuzzing found, after their fix, and
/// the seeds that start each fuzzing run) goes through its parser without trapping.
@Suite struct FuzzRegressionTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Inputs")

    static func files(of target: FuzzTarget) throws -> [URL] {
        let folder = inputs.appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    @Test(arguments: FuzzTarget.allCases)
    func keptInputsDoNotCrash(_ target: FuzzTarget) throws {
        let files = try Self.files(of: target)
        #expect(!files.isEmpty, "no kept inputs for \(target.rawValue)")
        for file in files { target.run([UInt8](try Data(contentsOf: file))) }
    }
}
