import Diagnostics
import Foundation
import LinearAlgebra

/// How closely the engine reproduces the framework that trained a model (a parity fixture,
/// docs/WEIGHTS.md): logits and sampled pre-activations on a few test images.
public struct ParityReport: Sendable {
    /// Number of images compared.
    public var images: Int
    /// Largest `|logit − expected|` divided by the largest `|expected logit|`.
    public var logitError: Double
    /// Per layer (`conv0`, …): largest deviation of the sampled values (including the layer's
    /// own folded bias) divided by the largest expected magnitude of that layer.
    public var preactivationErrors: [(layer: String, error: Double)]

    /// The largest of all relative deviations.
    public var worst: Double {
        preactivationErrors.map(\.error).reduce(logitError, max)
    }
}

extension FoldedNetwork {
    /// Compares the network with a parity fixture.
    ///
    /// - Parameters:
    ///   - fixture: `images` (I32 record indices), `logits` (`[n, classes]`) and optional
    ///     `preact.<layer>` (`[n, k]`) with `preact.<layer>.positions` (`[k, 3]`: row, column,
    ///     channel).
    ///   - testImages: The records of the data file the indices refer to.
    /// - Throws: ``PlacedError`` naming the tensor when the fixture is malformed.
    public func parity(with fixture: SafeTensorsFile, testImages: [CIFARImage]) throws
        -> ParityReport
    {
        func fail(_ tensor: String, _ message: String) -> PlacedError {
            PlacedError(at: .tensor(tensor, in: fixture.source), message)
        }
        guard let indices = try fixture.tensor("images").integerValues() else {
            throw fail("images", "dtype is not an integer type")
        }
        guard let classifier else { throw fail("logits", "the network has no dense layer") }
        let classes = classifier.units
        let logits: [Double] = try fixture.values("logits", shape: [indices.count, classes])
        var logitDeviation = 0.0
        let logitScale = logits.map(abs).max() ?? 1
        var deviations = [String: Double]()
        var scales = [String: Double]()
        for (item, record) in indices.enumerated() {
            guard testImages.indices.contains(record) else {
                throw fail("images", "record \(record) is outside the \(testImages.count) test images")
            }
            let pass = try forward(testImages[record].pixels(as: T.self))
            for (k, value) in pass.output.enumerated() {
                logitDeviation = max(logitDeviation, abs(Double(value) - logits[item * classes + k]))
            }
            for layer in layers where layer.kind == .convolution {
                let name = "preact.\(layer.name)"
                guard let tensor = fixture.tensors[name] else { continue }
                let samples = tensor.shape.count == 2 ? tensor.shape[1] : 0
                let expected: [Double] = try fixture.values(name, shape: [indices.count, samples])
                guard let positions = try fixture.tensor("\(name).positions").integerValues(),
                    positions.count == samples * 3
                else { throw fail("\(name).positions", "expected \(samples) × 3 integers") }
                let values = pass.value(at: layer.ownBiasNode ?? layer.node)
                for sample in 0..<samples {
                    let (row, column, channel) = (
                        positions[3 * sample], positions[3 * sample + 1], positions[3 * sample + 2]
                    )
                    guard layer.shape.contains(row: row, column: column, channel: channel) else {
                        throw fail(
                            "\(name).positions", "(\(row), \(column), \(channel)) is outside \(layer.shape)")
                    }
                    let value = Double(values[layer.shape.index(row: row, column: column, channel: channel)])
                    let target = expected[item * samples + sample]
                    deviations[layer.name] = max(deviations[layer.name] ?? 0, abs(value - target))
                    scales[layer.name] = max(scales[layer.name] ?? 0, abs(target))
                }
            }
        }
        let errors = layers.compactMap { layer -> (String, Double)? in
            guard let deviation = deviations[layer.name] else { return nil }
            return (layer.name, deviation / max(scales[layer.name] ?? 1, .leastNormalMagnitude))
        }
        return ParityReport(
            images: indices.count, logitError: logitDeviation / max(logitScale, .leastNormalMagnitude),
            preactivationErrors: errors)
    }
}
