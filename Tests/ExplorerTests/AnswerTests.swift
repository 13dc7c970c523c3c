import BackMap
import Foundation
import PNGCodec
import Testing

@testable import Explorer

@Suite("Explorer answers")
struct AnswerTests {
    @Test("an RM2 click answers the engine's c, ĉ, ε and a figure with the receptive field")
    func rm2Answer() throws {
        let query = try ExplorerQuery.parse([
            "layer": "3", "channel": "5", "row": "8", "column": "8", "image": "2",
        ])
        let answer = try sharedExplorer.backMap(query)
        let model = try BundledModel.load(.vgg7, as: Float.self, root: projectRoot)
        let image = try TestImage.cifar10(limit: 3, root: projectRoot)[2]
        let h = try model.network.backMap(image.pixels(as: Float.self), mode: query.mode)
        #expect(answer.actual == Double(h.actual))
        #expect(answer.reconstructed == Double(h.reconstructed))
        #expect(answer.relativeError == h.relativeError)
        #expect(
            answer.receptiveFieldBounds == [2, 20, 2, 20] || answer.receptiveField == "\(h.receptiveField)")
        #expect(answer.panels.map(\.label) == ["input x", "Hᴵ (RGB)", "Hᴵ red", "Hᴵ green", "Hᴵ blue"])
        let total = answer.biasGroups.map(\.contribution).reduce(0, +)
        #expect(abs(total - answer.biasContribution) <= 1e-4 * max(1, abs(answer.biasContribution)))
        #expect(answer.scaleCheck.k == 1 && answer.scaleCheck.relativeDistance < 1e-4)
        #expect(try decode(answer.panels[1].png).width == 32)
        #expect(try decode(answer.colorBar).height == 128)
        #expect(answer.figure.hasPrefix("data:image/svg+xml;base64,"))
    }

    @Test("RM0, RM1, RM3 and RM4 of ResNet20 in float64 reconstruct c")
    func otherModes() throws {
        for mode in [
            "rm0&unit=3", "rm1&layer=4&channel=2", "rm3&layer=4&in=1&channel=2",
            "rm4&layer=9&in=0&channel=1&row=3&column=4",
        ] {
            var fields = ["model": "resnet20", "precision": "double"]
            for pair in "mode=\(mode)".split(separator: "&") {
                let parts = pair.split(separator: "=")
                fields[String(parts[0])] = String(parts[1])
            }
            let answer = try sharedExplorer.backMap(try ExplorerQuery.parse(fields))
            #expect(abs(answer.relativeError) < 1e-9, "\(mode): ε = \(answer.relativeError)")
            #expect(answer.includesOwnBias == false)
        }
    }

    @Test("feature maps: one picture per channel and the model's prediction")
    func featureMaps() throws {
        let maps = try sharedExplorer.features(try FeatureQuery.parse(["layer": "2", "image": "1"]))
        #expect(maps.layer.name == "conv2" && maps.channels.count == maps.layer.channels)
        #expect(maps.logits.count == 10 && maps.strongestChannel != nil)
        let first = try decode(maps.channels[0].png)
        #expect(first.width == maps.layer.width * maps.scale && first.height == maps.layer.height)
    }

    @Test("thumbnails carry label and prediction; an upload can be mapped")
    func thumbnailsAndUpload() throws {
        let selection = ModelSelection(model: .vgg7, precision: .float)
        let strip = try sharedExplorer.thumbnails(selection, start: 0, count: 4)
        let images = try TestImage.cifar10(limit: 4, root: projectRoot)
        #expect(strip.map(\.index) == [0, 1, 2, 3])
        #expect(strip.map(\.label) == images.map(\.className))
        let model = try BundledModel.load(.vgg7, as: Float.self, root: projectRoot)
        #expect(try strip.map(\.predicted) == images.map { TestImage.className(of: try model.classify($0)) })
        let image = images[0]
        let bytes = image.record.pixels(as: Double.self).map { UInt8(($0 * 255).rounded()) }
        let png = try PNGImage(width: 32, height: 32, format: .rgb8, pixels: bytes).pngData()
        let uploaded = try sharedExplorer.upload(png)
        let fromUpload = try sharedExplorer.backMap(
            try ExplorerQuery.parse(["image": uploaded.image, "mode": "rm0"]))
        let fromTest = try sharedExplorer.backMap(try ExplorerQuery.parse(["image": "0", "mode": "rm0"]))
        #expect(fromUpload.actual == fromTest.actual)
    }

    private func decode(_ dataURL: String) throws -> PNGImage {
        let base64 = try #require(dataURL.split(separator: ",").last)
        let data = try #require(Data(base64Encoded: String(base64)))
        return try PNGImage(pngData: [UInt8](data))
    }
}
