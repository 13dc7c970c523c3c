import ArgumentParser
import BackMap
import Diagnostics
import LinearAlgebra

/// `--layer 3`, `--layer conv3`, `--layer fc`: a layer by index, by name (an ONNX node's name
/// for imported models), or the classifier; which layer it is depends on the model
/// (``resolve(in:)``).
struct LayerSelector: ArgumentSyntax, Equatable {
    /// The text as typed.
    var text: String

    init(parsing text: String) throws(PlacedError) {
        guard !text.isEmpty else { throw PlacedError("give a layer index or name (e.g. 3, conv3, fc)") }
        self.text = text
    }

    /// The layer's index in `model`: an index in range, else a layer of that name, else the
    /// classifier for `fc`.
    ///
    /// - Throws: `ValidationError` naming `--layer` and listing the model's layers.
    func resolve<T: BLASScalar>(in model: LoadedModel<T>) throws -> Int {
        let network = model.network
        if let index = Int(text), network.layers.indices.contains(index) { return index }
        if let named = network.layer(named: text) { return named.index }
        if text == "fc", let classifier = network.classifier { return classifier.index }
        throw ValidationError(
            "--layer \(text): not a layer of \(model.name) (\(network.layers.map(\.name).joined(separator: ", ")))"
        )
    }

    var defaultValueDescription: String { text }
}
