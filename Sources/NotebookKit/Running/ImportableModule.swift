/// A module of the project that notebook programs may `import`.
///
/// The runner knows no module by name except its own runtime, ``runtimeModuleName``: the
/// command that configures it says which modules exist (``PackageModules`` reads them from the
/// project's manifest), which library product links each, and which folders it is built from.
public struct ImportableModule: Codable, Hashable, Sendable {
    /// The module that notebook programs always import: it carries their outputs to the runner.
    public static let runtimeModuleName = "NotebookSupport"

    /// The name in `import` lines.
    public var name: String
    /// The project's library product that provides the module.
    public var product: String
    /// The folders, relative to the project root, of the module and of every project module it
    /// depends on (its dependency closure), sorted; their files are part of the cache key.
    public var sourceFolders: [String]

    /// Creates a module description.
    public init(name: String, product: String, sourceFolders: [String]) {
        self.name = name
        self.product = product
        self.sourceFolders = sourceFolders
    }
}
