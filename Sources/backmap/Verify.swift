import ArgumentParser
import BackMap
import Foundation
import LinearAlgebra

/// `backmap verify`: the paper's Table 3 for the first N images.
struct Verify: PrecisionDispatchingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconstruct every unit of every layer except conv0 from its hypersurface (Eq. 16).")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Number of images (the first N of the data file).")
    var images = 1

    @Option(help: "k of the evaluation point z = k·[x; x_b].")
    var k = 0.125

    @Flag(help: "Reconstruct values including each unit's own bias.")
    var includeOwnBias = false

    @Flag(help: "Accumulate ĉ in double precision (float runs only).")
    var accumulateInDouble = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Also print the histogram of ε over [−1e−4, 1e−4] per layer (40 bins).")
    var histogram = false

    struct Report: Codable {
        struct Row: Codable {
            var layer: String
            var units: Int
            var withinOnePercent: Double
            var maxAbsError: Double
            var medianAbsError: Double
            /// Max |ε| over units with |c| ≥ 1e−6 · the layer's max |c| (same image).
            var maxAbsErrorSignificant: Double
            /// Only with `--histogram`.
            var histogram: HistogramRow?
        }
        struct HistogramRow: Codable {
            var lower: Double
            var upper: Double
            var counts: [Int]
            var below: Int
            var above: Int
        }
        var model: String
        var precision: Precision
        var images: Int
        var layers: [Row]
    }

    func run<T: BLASScalar>(_ weights: SafeTensorsFile, as type: T.Type) throws {
        guard images > 0 else { throw ValidationError("--images must be positive") }
        let (network, configuration) = try modelOptions.network(weights, as: T.self)
        let records = try dataOptions.images(limit: images, classes: configuration.classes)
        let options = VerificationOptions(
            scale: k, includeOwnBias: includeOwnBias, accumulateInDouble: accumulateInDouble)
        let start = Date()
        let statistics = try network.verificationStatistics(
            images: records.map { $0.pixels(as: T.self) }, options: options
        ) { done in
            if !json { Console.note("image \(done)/\(records.count) done") }
        }
        let report = Report(
            model: configuration.kind.rawValue, precision: modelOptions.precision,
            images: records.count,
            layers: statistics.map {
                Report.Row(
                    layer: $0.layer, units: $0.units, withinOnePercent: $0.withinOnePercent,
                    maxAbsError: $0.maxAbsError, medianAbsError: $0.medianAbsError,
                    maxAbsErrorSignificant: $0.maxAbsErrorSignificant,
                    histogram: histogram
                        ? Report.HistogramRow(
                            lower: $0.histogram.lower, upper: $0.histogram.upper,
                            counts: $0.histogram.counts, below: $0.histogram.below,
                            above: $0.histogram.above) : nil)
            })
        if json { return try Console.json(report) }
        print(
            "\(report.model), \(report.precision.rawValue), \(report.images) image(s), k = \(k), "
                + "own bias \(includeOwnBias ? "included" : "excluded"), "
                + String(format: "%.2f s", Date().timeIntervalSince(start)))
        Console.table(
            [["layer", "units", "% |ε| ≤ 1%", "max |ε|", "median |ε|", "max |ε|, |c| ≥ 1e-6·max"]]
                + report.layers.map {
                    [
                        $0.layer, String($0.units), String(format: "%.4f", $0.withinOnePercent),
                        Console.scientific($0.maxAbsError), Console.scientific($0.medianAbsError),
                        Console.scientific($0.maxAbsErrorSignificant),
                    ]
                })
        for row in report.layers {
            guard let bins = row.histogram else { continue }
            print(
                "\(row.layer): ε histogram over [\(bins.lower), \(bins.upper)], "
                    + "\(bins.below) below, \(bins.above) above:")
            print("  " + bins.counts.map(String.init).joined(separator: " "))
        }
    }
}

/// `backmap eval`: top-1 accuracy.
struct Evaluate: PrecisionDispatchingCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Top-1 accuracy of a model on a CIFAR binary file.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Evaluate only the first N images.")
    var images: Int?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    struct Report: Codable {
        var model: String
        var images: Int
        /// Percent (0–100), like `withinOnePercent` of `verify`.
        var accuracy: Double
    }

    func run<T: BLASScalar>(_ weights: SafeTensorsFile, as type: T.Type) throws {
        let (network, configuration) = try modelOptions.network(weights, as: T.self)
        let records = try dataOptions.images(limit: images, classes: configuration.classes)
        var correct = 0
        for record in records where try network.classify(record.pixels(as: T.self)) == record.label {
            correct += 1
        }
        let report = Report(
            model: configuration.kind.rawValue, images: records.count,
            accuracy: 100 * Double(correct) / Double(max(records.count, 1)))
        if json { return try Console.json(report) }
        print(
            String(
                format: "%@: %d/%d correct, top-1 accuracy %.2f%%",
                report.model, correct, records.count, report.accuracy))
    }
}
