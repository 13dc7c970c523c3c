import ArgumentParser
import BackMap
import Foundation
import LinearAlgebra

/// `backmap eval`: top-1 accuracy.
struct Evaluate: PrecisionDispatchingCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Top-1 accuracy of a model on a CIFAR binary file.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Evaluate only the first N images.", transform: Count.parse)
    var images: Count?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    struct Report: Codable {
        var model: String
        var images: Int
        /// Percent (0–100), like `withinOnePercent` of `verify`.
        var accuracy: Double
    }

    func run<T: BLASScalar>(_ model: LoadedModel<T>) throws {
        try model.requireCIFARInput()
        let network = model.network
        let records = try dataOptions.images(limit: images?.value, classes: model.classes)
        var correct = 0
        for record in records where try network.classify(record.pixels(as: T.self)) == record.label {
            correct += 1
        }
        let report = Report(
            model: model.name, images: records.count,
            accuracy: 100 * Double(correct) / Double(max(records.count, 1)))
        if json { return try Console.json(report) }
        print(
            String(
                format: "%@: %d/%d correct, top-1 accuracy %.2f%%",
                report.model, correct, records.count, report.accuracy))
    }
}
