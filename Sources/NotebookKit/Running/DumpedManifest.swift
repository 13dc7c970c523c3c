/// The parts of `swift package dump-package`'s JSON that ``PackageModules`` reads.
struct DumpedManifest: Decodable {
    /// A product: its name, kind and targets.
    struct Product: Decodable {
        var name: String
        var targets: [String]
        /// Whether the product is a library (`"type": {"library": [...]}`).
        var isLibrary: Bool

        private enum CodingKeys: String, CodingKey { case name, targets, type }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            targets = try container.decode([String].self, forKey: .targets)
            let kind = try container.nestedContainer(keyedBy: AnyKey.self, forKey: .type)
            isLibrary = kind.contains(AnyKey("library"))
        }
    }

    /// A target: its name, its folder when not the default, and what it depends on.
    struct Target: Decodable {
        var name: String
        var path: String?
        /// The names of the targets or products it depends on by name or as a target (product
        /// dependencies of other packages are left out).
        var localDependencies: [String]

        /// The folder relative to the package root (`Sources/<name>` unless `path:` says
        /// otherwise).
        var folder: String { path ?? "Sources/\(name)" }

        private enum CodingKeys: String, CodingKey { case name, path, dependencies }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            path = try container.decodeIfPresent(String.self, forKey: .path)
            var names: [String] = []
            var list = try container.nestedUnkeyedContainer(forKey: .dependencies)
            while !list.isAtEnd {
                let dependency = try list.nestedContainer(keyedBy: AnyKey.self)
                for key in [AnyKey("byName"), AnyKey("target")] where dependency.contains(key) {
                    var fields = try dependency.nestedUnkeyedContainer(forKey: key)
                    names.append(try fields.decode(String.self))
                }
            }
            localDependencies = names
        }
    }

    var products: [Product]
    var targets: [Target]
}

/// A coding key for JSON objects whose keys are data (`{"library": …}`, `{"byName": …}`).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
