import BackMap
import Foundation
import Testing

@testable import ONNXImport

/// Every fixture model that imports, with the precision its parity file is in.
let importableFloatFixtures = [
    "vgg_maxpool", "resnet_projection", "concat_branches", "normalised_input", "padding_forms", "keras_cnn",
]

@Suite struct ParityTests {
    /// The engine's outputs and intermediate tensors against onnxruntime's, float32, 1e-5
    /// relative to each tensor's largest magnitude; the folded network's output too.
    @Test(arguments: importableFloatFixtures)
    func matchesOnnxRuntime(name: String) throws {
        let model = try ONNXImporter.importModel(contentsOf: Fixtures.url(name), as: Float.self)
        let fixture = try ParityFixture<Float>(name)
        let folded = try model.network.folded()
        var worst = 0.0
        for (index, input) in fixture.inputs.enumerated() {
            let image = model.engineImage(fromONNX: input)
            let values = try model.network.evaluate(image)
            let output = try #require(model.onnxValues(of: model.outputName, nodeOutputs: values))
            worst = max(worst, relativeDifference(output, fixture.outputs[index]))
            worst = max(worst, relativeDifference(try folded.forward(image).output, fixture.outputs[index]))
            for (tensor, expected) in fixture.intermediates {
                let actual = try #require(
                    model.onnxValues(of: tensor, nodeOutputs: values), "\(tensor) has no engine node")
                let difference = relativeDifference(actual, expected[index])
                #expect(difference < 1e-5, "\(name): \(tensor) differs by \(difference)")
            }
        }
        #expect(worst < 1e-5, "\(name): output differs by \(worst)")
        print("parity \(name): worst relative difference \(worst)")
    }

    /// The float64 model from typed `double_data` and `raw_data` initializers.
    @Test func float64ModelMatchesOnnxRuntime() throws {
        let model = try ONNXImporter.importModel(contentsOf: Fixtures.url("double_mlp"), as: Double.self)
        let fixture = try ParityFixture<Double>("double_mlp")
        for (index, input) in fixture.inputs.enumerated() {
            let values = try model.network.evaluate(model.engineImage(fromONNX: input))
            let output = try #require(model.onnxValues(of: model.outputName, nodeOutputs: values))
            #expect(relativeDifference(output, fixture.outputs[index]) < 1e-13)
            let hidden = try #require(model.onnxValues(of: "h", nodeOutputs: values))
            #expect(relativeDifference(hidden, fixture.intermediates[0].values[index]) < 1e-13)
        }
    }
}
