import Crypto
import Foundation
import Testing

@testable import BackMap

/// The full-scale verification results committed in `Results/` load, are internally
/// consistent, and were computed with the weights bundled in `Models/`.
@Suite struct FrozenResultsTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func resultFiles() throws -> [URL] {
        let folder = repository.appendingPathComponent("Results")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
    }

    static func sha256(_ url: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func everyResultFileMatchesTheBundledWeights() throws {
        let files = try Self.resultFiles()
        #expect(!files.isEmpty, "Results/ holds no result file")
        for file in files {
            let record = try VerificationRecord.read(from: file)
            let kind = try #require(ModelKind(rawValue: record.model), "\(file.lastPathComponent): model")
            #expect(file.lastPathComponent == "\(record.model)-\(record.precision).json")
            #expect(["float", "double"].contains(record.precision))
            #expect(record.images > 0)
            let weights = Self.repository.appendingPathComponent("Models/\(kind.rawValue).safetensors")
            #expect(
                record.provenance.weightsSHA256 == (try Self.sha256(weights)),
                "\(file.lastPathComponent) was computed with other weights than \(weights.lastPathComponent)")
            #expect(
                record.provenance.engineCommit.range(of: "^[0-9a-f]{40}", options: .regularExpression) != nil)
            // The statistics describe this architecture's layers, every image counted once.
            let network = try Support.model(kind, as: Float.self)
            #expect(record.settings.layers == Array(network.layers.indices.dropFirst()))
            for (statistics, index) in zip(record.layers, record.settings.layers) {
                #expect(statistics.layer == network.layers[index].name)
                #expect(statistics.units == record.images * network.layers[index].units)
                #expect(statistics.magnitudes.total == statistics.units)
            }
        }
    }
}
