import ArgumentParser
import Diagnostics

/// `--modes rm0,rm2`: some of the five reconstruction modes, in the order given.
struct ModeSelection: ArgumentSyntax, Equatable {
    /// The modes chosen.
    var names: [MapUnit.ModeName]

    /// All five, rm0 … rm4.
    static let all = ModeSelection(names: MapUnit.ModeName.allCases)

    init(names: [MapUnit.ModeName]) {
        self.names = names
    }

    init(parsing text: String) throws(PlacedError) {
        var names: [MapUnit.ModeName] = []
        for item in text.commaSeparatedItems {
            guard let name = MapUnit.ModeName(rawValue: item) else {
                throw PlacedError("unknown mode '\(item)' (use rm0 … rm4, separated by commas)")
            }
            names.append(name)
        }
        guard !names.isEmpty else { throw PlacedError("give at least one mode (rm0 … rm4)") }
        self.names = names
    }

    var defaultValueDescription: String { names.map(\.rawValue).joined(separator: ",") }
}
