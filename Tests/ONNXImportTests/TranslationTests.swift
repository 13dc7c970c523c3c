import BackMap
import Foundation
import Testing

@testable import ONNXImport

/// What the operators became (the semantics are checked against onnxruntime in ParityTests).
@Suite struct TranslationTests {
    func load(_ name: String) throws -> ImportedModel<Float> {
        try ONNXImporter.importModel(contentsOf: Fixtures.url(name), as: Float.self)
    }

    func became(_ model: ImportedModel<Float>, _ node: String) -> String {
        model.notes.first { $0.node == node }?.became ?? ""
    }

    @Test func paddingFormsResolveAgainstTheInputAndMerge() throws {
        let model = try load("padding_forms")
        // conv_same_lower reads the 5×5 map padded to 8×8 by pad_into_conv (rows 1+2, columns
        // 2+1); SAME_LOWER with stride 2 adds one row and one column before.
        #expect(became(model, "conv_same_lower").contains("explicit(2,2,3,1)"))
        #expect(became(model, "conv_same_upper").contains("explicit(1,1,1,1)"))
        #expect(became(model, "pad_standalone").contains("1×1 identity convolution"))
        #expect(became(model, "avgpool_counting_pads").contains("fixed 1/9 kernel"))
        #expect(became(model, "softmax").hasPrefix("stripped"))
        #expect(model.outputName == "logits")
        let network = try model.network.folded()
        #expect(network.layers.map(\.name).contains("avgpool_counting_pads"))
        // The Mul by 0.5 folds into conv_same_lower; channel_shift is that layer's own bias.
        #expect(
            network.biasEntries.contains { $0.source == "channel_shift" && $0.layer == "conv_same_lower" })
    }

    @Test func kerasGraphKeepsItsNHWCInput() throws {
        let model = try load("keras_cnn")
        #expect(model.inputLayout == .nhwc)
        #expect(model.network.inputShape == Shape(height: 16, width: 16, channels: 3))
        let network = try model.network.folded()
        #expect(network.layers.filter { $0.kind == .dense }.count == 2)
        // Rescaling's scalar shift is one x_b entry.
        #expect(network.biasEntries.filter { $0.source.contains("rescaling") }.count == 1)
    }

    @Test func normalisationShiftIsPartOfTheBiasVector() throws {
        let network = try load("normalised_input").network.folded()
        let shifts = network.biasEntries.filter { $0.layer == nil && $0.channel != nil }
        #expect(shifts.count == 3)
    }

    @Test func groupsAndDilationBecomeOrdinaryKernels() throws {
        let model = try load("concat_branches")
        #expect(model.notes.contains { $0.became.contains("2 groups as a block-diagonal kernel") })
        #expect(model.notes.contains { $0.became.contains("dilation [2, 2] as a 5×5 kernel") })
    }

    /// `Clip(x, 0)` (what some exporters write for ReLU) is ReLU; `Clip(x, 0, 6)` is refused.
    @Test func clipFromZeroIsReLUAndReLU6IsRefused() throws {
        var proto = try Onnx_ModelProto(serializedBytes: Fixtures.data("vgg_maxpool"))
        let relu = try #require(proto.graph.node.firstIndex { $0.opType == "Relu" })
        for (name, value) in [("zero", Float(0)), ("six", 6)] {
            var tensor = Onnx_TensorProto()
            tensor.name = name
            tensor.dataType = 1
            tensor.floatData = [value]
            proto.graph.initializer.append(tensor)
        }
        proto.graph.node[relu].opType = "Clip"
        proto.graph.node[relu].input += ["zero"]
        let clipped = try ONNXImporter.importModel(serialized: try proto.serializedBytes(), as: Float.self)
        let original = try load("vgg_maxpool")
        let image = (0..<original.network.inputShape.count).map { Float($0 % 7) / 7 - 0.3 }
        #expect(try clipped.network.evaluate(image).last == original.network.evaluate(image).last)
        proto.graph.node[relu].input += ["six"]
        #expect {
            try ONNXImporter.importModel(serialized: try proto.serializedBytes(), as: Float.self)
        } throws: { error in
            (error as? ONNXImportError).map { $0.opType == "Clip" && $0.message.contains("ReLU6") } ?? false
        }
    }
}
