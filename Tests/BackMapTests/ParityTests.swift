import Foundation
import Testing

@testable import BackMap

/// The engine computes the same network as the framework that trained it (parity fixtures
/// written by `Training/export.sh` next to the weights in `Models/`).
@Suite struct ParityTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `Models/*.parity.safetensors` whose weight file exists.
    static var fixtures: [URL] {
        let folder = root.appendingPathComponent("Models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".parity.safetensors") }.sorted().map {
            folder.appendingPathComponent($0)
        }
    }

    static var testBatch: URL {
        CIFAR.defaultDirectory(root: root).appendingPathComponent("test_batch.bin")
    }

    @Test(
        .enabled(if: !fixtures.isEmpty && FileManager.default.fileExists(atPath: testBatch.path)),
        arguments: fixtures)
    func matchesTrainingFramework(_ fixtureURL: URL) throws {
        let fixture = try SafeTensorsFile(contentsOf: fixtureURL)
        let weightsName = try #require(fixture.metadata["weights"])
        let weights = try SafeTensorsFile(
            contentsOf: fixtureURL.deletingLastPathComponent().appendingPathComponent(weightsName))
        let images = try CIFAR.read(contentsOf: Self.testBatch)
        let double = try ModelZoo.network(from: weights, as: Double.self).network.folded()
        let report = try double.parity(with: fixture, testImages: images)
        #expect(report.images > 0 && report.preactivationErrors.count > 0)
        #expect(report.worst < 1e-6, "\(report.preactivationErrors), logits \(report.logitError)")
        let float = try ModelZoo.network(from: weights, as: Float.self).network.folded()
        #expect(try float.parity(with: fixture, testImages: images).worst < 1e-4)
    }
}
