import ArgumentParser
import BackMap
import Diagnostics
import Foundation
import LinearAlgebra
import ONNXImport

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

/// A subcommand whose work is generic over the precision chosen with `--precision`.
protocol PrecisionDispatchingCommand: ParsableCommand {
    var modelOptions: ModelOptions { get }

    /// Does the command's work in precision `T`.
    func run<T: BLASScalar>(_ model: LoadedModel<T>) throws
}

extension PrecisionDispatchingCommand {
    func run() throws {
        switch modelOptions.precision {
        case .float: try run(modelOptions.load(as: Float.self))
        case .double: try run(modelOptions.load(as: Double.self))
        }
    }
}

/// A model ready for a command: a bundled model (`--model`, `--weights`) or an imported ONNX
/// file (`--model-file`), folded.
struct LoadedModel<T: BLASScalar> {
    /// The folded network.
    var network: FoldedNetwork<T>
    /// The name reports use: `vgg7`, … or the ONNX file's name without `.onnx`.
    var name: String
    /// The number of classes of the last layer (10 reads CIFAR-10 files, 100 CIFAR-100).
    var classes: Int
    /// The weight or ONNX file the network came from (`nil` for seeded random weights).
    var file: URL?

    /// Checks that CIFAR images (32×32×3) fit the network's input.
    func requireCIFARInput() throws {
        guard network.inputShape == CIFARImage.shape else {
            throw PlacedError(
                "\(name) takes \(network.inputShape.height)×\(network.inputShape.width)×"
                    + "\(network.inputShape.channels) inputs; CIFAR images are 32×32×3")
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

    @Option(help: "An ONNX model (.onnx, docs/ONNX.md) to use instead of --model and --weights.")
    var modelFile: String?

    /// Loads the weights: the given file, else the choice every notebook makes
    /// (``ModelZoo/weights(for:root:randomSeed:)``: bundled, partial export, or, loudly,
    /// random weights), with its provenance on standard error, and the file it read (`nil` for
    /// random weights).
    func loadWeights() throws -> (file: SafeTensorsFile, url: URL?) {
        if let weights {
            let url = URL(fileURLWithPath: weights)
            return (try SafeTensorsFile(contentsOf: url), url)
        }
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let (file, provenance) = try ModelZoo.weights(for: model, root: root, randomSeed: seed)
        Console.note(provenance.description)
        return (file, provenance.file.map { root.appendingPathComponent($0) })
    }

    /// The model in precision `T`: the ONNX file of `--model-file`, else the bundled model.
    func load<T: BLASScalar>(as type: T.Type) throws -> LoadedModel<T> {
        if let modelFile {
            let url = URL(fileURLWithPath: modelFile)
            let imported = try ONNXImporter.importModel(contentsOf: url, as: T.self)
            let network = try imported.network.folded()
            Console.note("imported \(modelFile) (ONNX opset \(imported.opset), \(imported.producer))")
            return LoadedModel(
                network: network, name: url.deletingPathExtension().lastPathComponent,
                classes: network.layers.last?.units ?? 0, file: url)
        }
        let weights = try loadWeights()
        let (network, configuration) = try ModelZoo.network(from: weights.file, expected: model, as: T.self)
        return LoadedModel(
            network: try network.folded(), name: configuration.kind.rawValue,
            classes: configuration.classes, file: weights.url)
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
