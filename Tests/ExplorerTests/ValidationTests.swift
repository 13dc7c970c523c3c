import BackMap
import Foundation
import PNGCodec
import Testing

@testable import Explorer

@Suite("Explorer request validation")
struct ValidationTests {
    @Test("an unknown model, precision or mode is a 400 naming the field")
    func unknownNames() {
        let model = refusal { _ = try ExplorerQuery.parse(["model": "alexnet"]) }
        #expect(model?.status == 400 && model?.field == "model")
        #expect(model?.message.contains("resnet20-fixup") == true)
        #expect(refusal { _ = try ExplorerQuery.parse(["precision": "half"]) }?.field == "precision")
        #expect(refusal { _ = try ExplorerQuery.parse(["mode": "rm9"]) }?.field == "mode")
        #expect(refusal { _ = try ExplorerQuery.parse(["k": "-1"]) }?.field == "k")
        #expect(refusal { _ = try ExplorerQuery.parse(["k": "nan"]) }?.field == "k")
        #expect(refusal { _ = try ExplorerQuery.parse(["row": "x"]) }?.field == "row")
        #expect(refusal { _ = try ExplorerQuery.parse(["bias": "maybe"]) }?.field == "bias")
        #expect(refusal { _ = try ExplorerQuery.parse(["image": "upload:zz"]) }?.field == "image")
    }

    @Test("the fields of a query become the engine's mode")
    func parsesModes() throws {
        let rm4 = try ExplorerQuery.parse([
            "model": "resnet20", "precision": "double", "mode": "rm4", "layer": "2", "in": "1",
            "channel": "3",
            "row": "4", "column": "5", "k": "0.5", "bias": "1",
        ])
        #expect(rm4.mode == .rm4(layer: 2, inChannel: 1, channel: 3, row: 4, column: 5))
        #expect(rm4.selection == ModelSelection(model: .resnet20, precision: .double))
        #expect(rm4.scale == 0.5 && rm4.includeOwnBias)
        #expect(try ExplorerQuery.parse(["mode": "rm0", "unit": "7"]).mode == .rm0(unit: 7, layer: nil))
        #expect(
            try ExplorerQuery.parse(["image": "upload:00112233aabbccdd"]).image == .upload("00112233aabbccdd")
        )
    }

    @Test("a layer, unit or image the model does not have is a 400 naming the field")
    func outOfRange() {
        func field(_ query: [String: String]) -> (Int?, String?) {
            let error = refusal { _ = try sharedExplorer.backMap(try ExplorerQuery.parse(query)) }
            return (error?.status, error?.field)
        }
        #expect(field(["layer": "40"]) == (400, "layer"))
        #expect(field(["layer": "6"]) == (400, "layer"))  // VGG7's FC layer: RM2 needs a convolution
        #expect(field(["layer": "3", "channel": "999"]) == (400, "channel"))
        #expect(field(["layer": "0", "row": "32"]) == (400, "row"))
        #expect(field(["layer": "5", "column": "9"]) == (400, "column"))
        #expect(field(["mode": "rm4", "layer": "1", "in": "64"]) == (400, "in"))
        #expect(field(["mode": "rm0", "unit": "10"]) == (400, "unit"))
        #expect(field(["image": "64"]) == (400, "image"))  // the suite reads 64 test images
        #expect(field(["image": "upload:0000000000000000"]) == (404, "image"))
        let features = refusal { _ = try sharedExplorer.features(try FeatureQuery.parse(["layer": "7"])) }
        #expect(features?.status == 400 && features?.message.contains("conv5") == true)
    }

    @Test("a malformed, oversized or wrongly sized PNG upload is refused with a message")
    func uploads() throws {
        let garbage = refusal { _ = try sharedExplorer.upload(Array("not a png".utf8)) }
        #expect(garbage?.status == 400 && garbage?.message.contains("PNG") == true)
        let huge = refusal { _ = try sharedExplorer.upload([UInt8](repeating: 0, count: 70_000)) }
        #expect(huge?.status == 413)
        let wide = try PNGImage(
            width: 33, height: 32, format: .rgb8, pixels: [UInt8](repeating: 9, count: 33 * 32 * 3))
        let wrongSize = refusal { _ = try sharedExplorer.upload(try wide.pngData()) }
        #expect(wrongSize?.status == 400 && wrongSize?.message.contains("33×32") == true)
    }
}
