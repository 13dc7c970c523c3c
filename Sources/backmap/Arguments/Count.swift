import ArgumentParser
import Diagnostics

/// `--images 8`, `--image 3`, `--repeats 21`: a whole number (of images, repetitions, directions)
/// or an image's index; 0 or more unless the option asks for more (``parse(atLeast:)``).
struct Count: ArgumentSyntax, Equatable, ExpressibleByIntegerLiteral {
    /// The number.
    var value: Int

    init(integerLiteral value: Int) {
        self.value = value
    }

    init(parsing text: String) throws(PlacedError) {
        try self.init(parsing: text, atLeast: 0)
    }

    /// Parses a whole number of at least `minimum`.
    init(parsing text: String, atLeast minimum: Int) throws(PlacedError) {
        guard let value = Int(text) else { throw PlacedError("expected a whole number (e.g. 8)") }
        guard value >= minimum else {
            throw PlacedError(
                minimum == 0 ? "must be 0 or more, got \(value)" : "must be at least \(minimum), got \(value)"
            )
        }
        self.value = value
    }

    /// ``init(parsing:atLeast:)`` as the `transform` of an `@Option`.
    static func parse(atLeast minimum: Int) -> @Sendable (String) throws -> Count {
        { text in try Count(parsing: text, atLeast: minimum) }
    }

    var defaultValueDescription: String { String(value) }
}
