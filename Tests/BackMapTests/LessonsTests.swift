import Foundation
import Testing

@testable import BackMap

/// One way to get a model, an image and a unit: provenance, test images, choices.
@Suite struct LessonsTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryRoot(_ name: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lessons-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent("Models"), withIntermediateDirectories: true)
        return url
    }

    @Test func withoutWeightsTheModelIsRandomAndSaysSoLoudly() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let model = try BundledModel.load(.resnet20, as: Float.self, root: root, randomSeed: 3)
        #expect(model.provenance.status == .seededRandom(seed: 3))
        #expect(!model.provenance.isFinalTrainedModel && model.provenance.file == nil)
        let warning = try #require(model.provenance.warning)
        #expect(warning.contains("WARNING: resnet20 is NOT the final trained model"))
        #expect(warning.contains("seed 3") && model.provenance.description == warning)
        // The same seed gives the same network as the engine's random weights.
        let reference = try ModelZoo.network(
            from: ModelZoo.randomWeights(ModelConfiguration(kind: .resnet20), seed: 3), as: Float.self
        ).network.folded()
        #expect(model.network.biasValues == reference.biasValues)
    }

    @Test func bundledWeightsCarryTheModelCardsAccuracy() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let weights = ModelZoo.randomWeights(ModelConfiguration(kind: .vgg7), seed: 2)
        try weights.write(to: root.appendingPathComponent("Models/vgg7.safetensors"))
        try Data(
            "# card\n\n| | this model | paper |\n| --- | --- | --- |\n| test accuracy | 12.34% on `x` | 89.5% |\n"
                .utf8
        )
        .write(to: root.appendingPathComponent("Models/vgg7.md"))
        let model = try BundledModel.load(.vgg7, as: Double.self, root: root)
        #expect(model.provenance.status == .trained && model.provenance.warning == nil)
        #expect(
            model.provenance.file == "Models/vgg7.safetensors"
                && model.provenance.modelCard == "Models/vgg7.md")
        #expect(model.provenance.testAccuracy == "12.34% on x")
        #expect(
            model.provenance.description.contains(
                "vgg7: trained weights Models/vgg7.safetensors, test accuracy 12.34%"))
        #expect(model.original.nodes.count > model.network.layers.count)
    }

    @Test func testImagesAndTheFirstCorrectlyClassifiedOne() throws {
        let images = try TestImage.cifar10(limit: 20, root: Self.repository)
        #expect(images.count == 20 && images.map(\.index) == Array(0..<20))
        #expect(images[0].className == TestImage.cifar10ClassNames[images[0].label])
        #expect(images[3].pixels(as: Double.self).values == images[3].record.pixels(as: Double.self))
        let model = try BundledModel.load(.vgg7, as: Float.self, root: Self.repository)
        let chosen = try model.firstCorrectlyClassified(in: images)
        #expect(try model.classify(chosen) == chosen.label || chosen.index == 0)
        for earlier in images.prefix(chosen.index) { #expect(try model.classify(earlier) != earlier.label) }
        #expect(throws: BackMapError.self) { try model.firstCorrectlyClassified(in: []) }
        #expect(TestImage.className(of: 42) == "class 42")
    }
}
