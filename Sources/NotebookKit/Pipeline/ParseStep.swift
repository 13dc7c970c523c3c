import Foundation

/// The parse step: a notebook file to a ``Notebook`` (front matter, cells, protected math).
public struct ParseStep: PipelineStep {
    /// A notebook file and the path to name it by in messages and programs.
    public struct Source: Sendable {
        /// The file on disk.
        public var url: URL
        /// The path shown in messages (e.g. `Notebooks/x.md`).
        public var path: String

        /// Creates a source.
        public init(url: URL, path: String) {
            self.url = url
            self.path = path
        }
    }

    /// ``PipelineStage/parse``.
    public static let stage = PipelineStage.parse

    /// Creates the step.
    public init() {}

    /// The source's display path.
    public func file(of input: Source) -> String { input.path }

    /// Reads and parses the notebook.
    public func perform(_ input: Source) throws -> Notebook {
        try Notebook(contentsOf: input.url, path: input.path)
    }
}
