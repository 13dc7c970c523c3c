import ArgumentParser
import Diagnostics

/// `--k 0.125`: the k of the evaluation point `z = k·[x; x_b]`, a positive finite number (the
/// identity holds on the positive ray through `[x; x_b]`; powers of two rescale exactly).
struct EvaluationScale: ArgumentSyntax, Equatable, ExpressibleByFloatLiteral {
    /// k.
    var value: Double

    init(floatLiteral value: Double) {
        self.value = value
    }

    init(parsing text: String) throws(PlacedError) {
        guard let value = Double(text) else { throw PlacedError("expected a number (e.g. 0.125)") }
        guard value > 0, value.isFinite else {
            throw PlacedError("k of z = k·[x; x_b] must be a positive finite number, got \(value)")
        }
        self.value = value
    }

    var defaultValueDescription: String { String(value) }
}
