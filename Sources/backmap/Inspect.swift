import ArgumentParser
import BackMap
import Foundation
import LinearAlgebra
import ONNXImport

/// `backmap inspect FILE.onnx`: the graph as the engine will analyse it (docs/ONNX.md).
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show an ONNX model as the engine analyses it: what each operator became, the layers, "
            + "their shapes and the x_b entries by layer; optionally check the identity on images.")

    @Argument(help: "The .onnx file (exported by torch.onnx.export, tf2onnx, …).")
    var file: String

    @Option(
        help:
            "Also check c = ⟨x|H^I⟩ + ⟨x_b|H^b⟩ on every unit of every layer for this many images. (default: 0)",
        transform: Count.parse)
    var images: Count = 0

    @Option(help: "Precision: float or double.")
    var precision: Precision = .float

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func run() throws {
        switch precision {
        case .float: try inspect(as: Float.self)
        case .double: try inspect(as: Double.self)
        }
    }

    private func inspect<T: BLASScalar>(as type: T.Type) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let model = try ONNXImporter.importModel(contentsOf: URL(fileURLWithPath: file), as: T.self)
        let network = try model.network.folded()
        var report = InspectionReport(model: model, network: network, file: file)
        report.importSeconds = (clock.now - start).seconds
        if images.value > 0 {
            let verifyStart = clock.now
            let inputs = try verificationImages(for: network)
            let statistics = try network.verificationStatistics(
                images: inputs.images, layers: Array(network.layers.indices))
            report.verification = InspectionReport.Verification(
                images: inputs.images.count, source: inputs.source,
                layers: statistics.map {
                    .init(
                        layer: $0.layer, withinOnePercent: $0.withinOnePercent, maxAbsError: $0.maxAbsError,
                        medianAbsError: $0.medianAbsError)
                },
                seconds: (clock.now - verifyStart).seconds)
        }
        if json { try Console.json(report) } else { report.printTables() }
    }

    /// CIFAR test images when the model reads 32×32×3, else seeded uniform inputs in [0, 1].
    private func verificationImages<T: BLASScalar>(for network: FoldedNetwork<T>) throws
        -> (images: [[T]], source: String)
    {
        if network.inputShape == Shape(height: 32, width: 32, channels: 3),
            let records = try? dataOptions.images(limit: images.value, classes: 10),
            records.count == images.value
        {
            return (records.map { $0.pixels(as: T.self) }, "CIFAR \(dataOptions.url().lastPathComponent)")
        }
        var generator = SeededGenerator(seed: 1)
        let inputs = (0..<images.value).map { _ in
            (0..<network.inputShape.count).map { _ in T(generator.uniform(0, 1)) }
        }
        return (inputs, "seeded uniform [0, 1] inputs (seed 1)")
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
