import ArgumentParser
import Diagnostics

/// `--images 8`, `--image 3`: a whole number of images or an image's index, 0 or more.
struct Count: ArgumentSyntax, Equatable, ExpressibleByIntegerLiteral {
    /// The number.
    var value: Int

    init(integerLiteral value: Int) {
        self.value = value
    }

    init(parsing text: String) throws(PlacedError) {
        guard let value = Int(text) else { throw PlacedError("expected a whole number (e.g. 8)") }
        guard value >= 0 else { throw PlacedError("must be 0 or more, got \(value)") }
        self.value = value
    }

    var defaultValueDescription: String { String(value) }
}
