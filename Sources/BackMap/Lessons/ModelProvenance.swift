import Foundation

/// Where the weights of a model come from, and how good they are.
///
/// ```swift
/// let vgg = try BundledModel.load(.vgg7, as: Double.self)
/// print(vgg.provenance)  // vgg7: trained weights Models/vgg7.safetensors (…test accuracy 86.87%…)
/// if let warning = vgg.provenance.warning { print(warning) }
/// ```
public struct ModelProvenance: Hashable, Sendable, CustomStringConvertible {
    /// How the weights were obtained.
    public enum Status: Hashable, Sendable {
        /// The final trained model bundled in `Models/`.
        case trained
        /// A partial training export (`Models/<model>.partial.safetensors`), with its training
        /// status and validation accuracy.
        case partiallyTrained(status: String, validationAccuracy: String)
        /// Seeded random weights (``ModelZoo/randomWeights(_:seed:)``), because no weight file
        /// exists.
        case seededRandom(seed: UInt64)
    }

    /// The architecture.
    public var kind: ModelKind
    /// The weight file, relative to the project root (`nil` for random weights).
    public var file: String?
    /// The model card beside the weight file (`Models/vgg7.md`), if it exists.
    public var modelCard: String?
    /// The test accuracy as the model card states it (`86.87% on the 9000 images of
    /// test_batch.bin`), else as the weight file's metadata states it.
    public var testAccuracy: String?
    /// Trained, partially trained or random.
    public var status: Status

    /// Whether these are the final trained weights.
    public var isFinalTrainedModel: Bool { status == .trained }

    /// A loud, multi-line warning when the weights are not the final trained model.
    ///
    /// ```swift
    /// if let warning = model.provenance.warning { print(warning) }
    /// ```
    public var warning: String? {
        let reason: String
        switch status {
        case .trained:
            return nil
        case .partiallyTrained(let state, let accuracy):
            reason = "PARTIALLY TRAINED weights, \(file ?? "?") (\(state); validation accuracy \(accuracy))"
        case .seededRandom(let seed):
            reason =
                "SEEDED RANDOM weights (ModelZoo.randomWeights, seed \(seed)), because "
                + "Models/\(kind.rawValue).safetensors does not exist"
        }
        return """
            ⚠️ WARNING: \(kind.rawValue) is NOT the final trained model. It uses
               \(reason).
               Identities of the method hold for any weights, but pictures and statistics
               made with it are not those of a trained model.
            """
    }

    /// One line for a trained model; the warning otherwise.
    public var description: String {
        if let warning { return warning }
        let accuracy = testAccuracy.map { ", test accuracy \($0)" } ?? ""
        let card = modelCard.map { " (model card \($0))" } ?? ""
        return "\(kind.rawValue): trained weights \(file ?? "?")\(accuracy)\(card)."
    }
}

extension ModelZoo {
    /// The weights a model is built from: the bundled final model if `Models/` has it, else a
    /// partial training export, else seeded random weights; with their provenance. The
    /// notebooks (``BundledModel/load(_:as:root:randomSeed:)``) and the `backmap` tool both
    /// choose weights here.
    ///
    /// ```swift
    /// let (file, provenance) = try ModelZoo.weights(for: .resnet20, root: projectRoot)
    /// ```
    /// - Throws: ``PlacedError`` when a weight file exists but cannot be read.
    public static func weights(for kind: ModelKind, root: URL, randomSeed: UInt64 = 1) throws
        -> (file: SafeTensorsFile, provenance: ModelProvenance)
    {
        if let url = bundledWeights(for: kind, root: root) {
            let file = try SafeTensorsFile(contentsOf: url)
            let card = url.deletingPathExtension().appendingPathExtension("md")
            let cardAccuracy = try? modelCardTestAccuracy(card)
            let metadataAccuracy = file.metadata["test_accuracy"]
            let provenance = ModelProvenance(
                kind: kind, file: "Models/\(url.lastPathComponent)",
                modelCard: FileManager.default.fileExists(atPath: card.path)
                    ? "Models/\(card.lastPathComponent)" : nil,
                testAccuracy: cardAccuracy ?? metadataAccuracy, status: .trained)
            return (file, provenance)
        }
        let partial = root.appendingPathComponent("Models/\(kind.rawValue).partial.safetensors")
        if FileManager.default.fileExists(atPath: partial.path) {
            let file = try SafeTensorsFile(contentsOf: partial)
            let status = ModelProvenance.Status.partiallyTrained(
                status: file.metadata["training_status"] ?? "partial export",
                validationAccuracy: file.metadata["val_accuracy"] ?? "unknown")
            let provenance = ModelProvenance(
                kind: kind, file: "Models/\(partial.lastPathComponent)", modelCard: nil,
                testAccuracy: file.metadata["test_accuracy"], status: status)
            return (file, provenance)
        }
        let random = randomWeights(ModelConfiguration(kind: kind), seed: randomSeed)
        let provenance = ModelProvenance(
            kind: kind, file: nil, modelCard: nil, testAccuracy: nil, status: .seededRandom(seed: randomSeed))
        return (random, provenance)
    }

    /// The test accuracy in a model card's table row `| test accuracy | 86.87% on … | 89.5% |`.
    static func modelCardTestAccuracy(_ card: URL) throws -> String? {
        let text = try String(contentsOf: card, encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("| test accuracy |") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 2 { return cells[1].replacingOccurrences(of: "`", with: "") }
        }
        return nil
    }
}
