import ArgumentParser
import Diagnostics

/// `--unit 3,7,7`: the integers that pick a unit (or channel) in a reconstruction mode; how many
/// a mode needs is ``MapUnit/ModeName/coordinateCount``.
struct UnitCoordinates: ArgumentSyntax, Equatable {
    /// The integers, in the order given.
    var values: [Int]

    init(parsing text: String) throws(PlacedError) {
        var values: [Int] = []
        for item in text.commaSeparatedItems {
            guard let value = Int(item) else {
                throw PlacedError(
                    "'\(item)' is not an integer (give integers separated by commas, e.g. 3,7,7)")
            }
            values.append(value)
        }
        guard !values.isEmpty else { throw PlacedError("give at least one integer (e.g. 3,7,7)") }
        self.values = values
    }

    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}
