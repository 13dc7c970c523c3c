import ArgumentParser
import BackMap
import Foundation
import LinearAlgebra

@main
struct BackMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backmap",
        abstract: "Exact effective hypersurfaces (AdjointBackMapV2) for CIFAR CNNs.",
        subcommands: [Verify.self, Merge.self, Evaluate.self, MapUnit.self, Bench.self, Inspect.self]
    )
}

/// Floating-point precision of a run.
enum Precision: String, ExpressibleByArgument, CaseIterable, Codable {
    case float, double
}

extension ModelKind: ExpressibleByArgument {}

/// Options shared by every subcommand that loads a model.
/// A subcommand whose work is generic over the precision chosen with `--precision`.
protocol PrecisionDispatchingCommand: ParsableCommand {
    var modelOptions: ModelOptions { get }

    /// Does the command's work in precision `T`.
    func run<T: BLASScalar>(_ weights: SafeTensorsFile, as type: T.Type) throws
}

extension PrecisionDispatchingCommand {
    func run() throws {
        let weights = try modelOptions.loadWeights()
        switch modelOptions.precision {
        case .float: try run(weights, as: Float.self)
        case .double: try run(weights, as: Double.self)
        }
    }
}

struct ModelOptions: ParsableArguments {
    @Option(help: "Model: vgg7, resnet20 or resnet20-fixup.")
    var model: ModelKind = .vgg7

    @Option(help: "Weight file (safetensors). Default: Models/<model>.safetensors, else random weights.")
    var weights: String?

    @Option(help: "Seed of the random weights used when no weight file exists.")
    var seed: UInt64 = 0

    @Option(help: "Precision: float or double.")
    var precision: Precision = .float

    /// Loads the weights: the given file, else the choice every notebook makes
    /// (``ModelZoo/weights(for:root:randomSeed:)``: bundled, partial export, or, loudly,
    /// random weights), with its provenance on standard error.
    func loadWeights() throws -> SafeTensorsFile {
        if let weights {
            return try SafeTensorsFile(contentsOf: URL(fileURLWithPath: weights))
        }
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let (file, provenance) = try ModelZoo.weights(for: model, root: root, randomSeed: seed)
        Console.note(provenance.description)
        return file
    }

    func network<T: BLASScalar>(_ weights: SafeTensorsFile, as type: T.Type) throws
        -> (FoldedNetwork<T>, ModelConfiguration)
    {
        let (network, configuration) = try ModelZoo.network(from: weights, expected: model, as: T.self)
        return (try network.folded(), configuration)
    }
}

/// Where test images come from.
struct DataOptions: ParsableArguments {
    @Option(
        help:
            "CIFAR binary file. Default: test_batch.bin in $CIFAR10_DIR or ../shared/data/cifar-10-batches-bin."
    )
    var data: String?

    func url() -> URL {
        if let data { return URL(fileURLWithPath: data) }
        return CIFAR.defaultDirectory().appendingPathComponent("test_batch.bin")
    }

    func images(limit: Int?, classes: Int) throws -> [CIFARImage] {
        try CIFAR.read(contentsOf: url(), format: classes == 100 ? .cifar100 : .cifar10, limit: limit)
    }
}

enum Console {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func json<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func table(_ rows: [[String]]) {
        guard let header = rows.first else { return }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            let cells = row.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + pad : pad + text
            }
            print(cells.joined(separator: "  "))
            if index == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }

    static func scientific(_ value: Double) -> String {
        value.isFinite ? String(format: "%.3e", value) : String(describing: value)
    }
}
