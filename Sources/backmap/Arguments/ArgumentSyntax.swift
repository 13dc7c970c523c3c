import ArgumentParser
import Diagnostics
import Foundation

/// A command-line value with a syntax of its own (`0..<500`, `3/8`, `rm0,rm2`, `3,7,7`), parsed
/// by ``init(parsing:)``, whose error says what is wrong with the text.
///
/// Options declare it with `transform: T.parse`, so that ArgumentParser prints that reason
/// after naming the option and the value:
///
/// ```
/// Error: The value '5..<2' is invalid for '--images <images>': A..<B needs 0 ≤ A < B, got 5 and 2
/// ```
protocol ArgumentSyntax: ExpressibleByArgument, Sendable {
    /// Parses the text a user typed.
    ///
    /// - Throws: ``PlacedError`` saying what is wrong and what the syntax is.
    init(parsing text: String) throws(PlacedError)
}

extension ArgumentSyntax {
    init?(argument: String) { try? self.init(parsing: argument) }

    /// ``init(parsing:)`` as the `transform` of an `@Option`.
    static var parse: @Sendable (String) throws -> Self { { text in try Self(parsing: text) } }
}

extension String {
    /// The comma-separated items of an argument, trimmed, empty ones left out (`"rm0, rm2"`).
    var commaSeparatedItems: [String] {
        split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
