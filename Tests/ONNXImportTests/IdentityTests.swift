import BackMap
import Foundation
import Testing

@testable import ONNXImport

@Suite struct IdentityTests {
    /// `c = ⟨x|H^I⟩ + ⟨x_b|H^b⟩` for every unit of every layer of every imported model, float64:
    /// every unit within 1%, the largest |ε| below 1e-9.
    @Test(arguments: importableFloatFixtures + ["double_mlp"])
    func identityHoldsInFloat64(name: String) throws {
        let model = try ONNXImporter.importModel(contentsOf: Fixtures.url(name), as: Double.self)
        let fixture = try ParityFixture<Double>(name)
        let network = try model.network.folded()
        var (units, within, largest) = (0, 0, 0.0)
        for input in fixture.inputs {
            let layers = try network.reconstructLayers(
                model.engineImage(fromONNX: input), layers: Array(network.layers.indices))
            for errors in layers.map(\.relativeErrors) {
                units += errors.count
                within += errors.filter { abs($0) <= 0.01 }.count
                largest = max(largest, errors.map(abs).max() ?? 0)
            }
        }
        #expect(units > 0 && within == units, "\(name): \(within) of \(units) units within 1%")
        #expect(largest < 1e-9, "\(name): max |ε| = \(largest)")
        print("identity float64 \(name): \(network.layers.count) layers, \(units) units, max |ε| \(largest)")
    }

    /// The same in float32: the share of units within 1% (the paper's measure).
    @Test(arguments: importableFloatFixtures)
    func identityHoldsInFloat32(name: String) throws {
        let model = try ONNXImporter.importModel(contentsOf: Fixtures.url(name), as: Float.self)
        let fixture = try ParityFixture<Float>(name)
        let network = try model.network.folded()
        var (units, within) = (0, 0)
        var magnitudes = [Double]()
        for input in fixture.inputs {
            let layers = try network.reconstructLayers(
                model.engineImage(fromONNX: input), layers: Array(network.layers.indices))
            for errors in layers.map(\.relativeErrors) {
                units += errors.count
                within += errors.filter { abs($0) <= 0.01 }.count
                magnitudes += errors.map(abs)
            }
        }
        let median = magnitudes.sorted()[magnitudes.count / 2]
        #expect(Double(within) >= 0.999 * Double(units), "\(name): \(within) of \(units) units within 1%")
        #expect(median < 1e-5, "\(name): median |ε| = \(median)")
        print("identity float32 \(name): \(within) of \(units) units within 1%, median |ε| \(median)")
    }

    /// `H^I` of logit `gradient_class` equals torch.autograd's gradient (float64) to rounding.
    @Test(arguments: ["vgg_maxpool", "resnet_projection", "concat_branches", "normalised_input"])
    func imageHypersurfaceEqualsTorchGradient(name: String) throws {
        let model = try ONNXImporter.importModel(contentsOf: Fixtures.url(name), as: Double.self)
        let fixture = try ParityFixture<Double>(name)
        let gradients = try #require(fixture.gradients)
        let unit = try #require(fixture.gradientClass)
        let network = try model.network.folded()
        let classifier = try #require(network.classifier)
        let conversion = LayoutConversion(layout: model.inputLayout, shape: network.inputShape)
        for (input, gradient) in zip(fixture.inputs, gradients) {
            let h = try network.backMap(
                model.engineImage(fromONNX: input), mode: .rm0(unit: unit, layer: classifier.index))
            let difference = relativeDifference(conversion.toONNX(Array(h.image)), gradient)
            #expect(difference < 1e-12, "\(name): H^I differs from torch's gradient by \(difference)")
        }
    }
}
