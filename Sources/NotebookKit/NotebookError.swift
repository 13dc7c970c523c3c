import Diagnostics

/// A notebook that cannot be parsed, built, run or rendered, with the place to look at.
///
/// The description follows the compiler's convention, `file:line:column: error: message`, so
/// terminals and editors can jump to the notebook line; an error that came through a
/// ``PipelineStep`` names the step after `error:` (`x.md:42: error: build: …`). The place is the
/// project's shared ``Place`` (file, line, column); a notebook error has no parts inside it.
public struct NotebookError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Where the problem is: the notebook (or other file) and, when known, its line and column.
    public var place: Place
    /// The pipeline step that failed, once the error has left it.
    public var step: PipelineStage?
    /// What went wrong and, where possible, how to fix it.
    public var message: String

    /// Creates an error at `place`.
    public init(at place: Place, step: PipelineStage? = nil, message: String) {
        self.place = place
        self.step = step
        self.message = message
    }

    /// Creates an error in `file`, at its line and column when known.
    public init(
        file: String, line: Int? = nil, column: Int? = nil, step: PipelineStage? = nil, message: String
    ) {
        self.init(at: Place(file: file, line: line, column: column, parts: []), step: step, message: message)
    }

    /// The file involved, as given on the command line (e.g. `Notebooks/x.md`).
    public var file: String {
        get { place.file ?? "" }
        set { place.file = newValue }
    }

    /// The 1-based line, when the problem has one.
    public var line: Int? {
        get { place.line }
        set { place.line = newValue }
    }

    /// The 1-based column, when known.
    public var column: Int? {
        get { place.column }
        set { place.column = newValue }
    }

    /// `file:line:column: error: step: message`, leaving out what is unknown.
    public var description: String {
        let step = step.map { "\($0.rawValue): " } ?? ""
        return "\(place): error: \(step)\(message)"
    }

    /// The error with `stage` as its step, unless it already names one.
    public func attributed(to stage: PipelineStage) -> NotebookError {
        var error = self
        if error.step == nil { error.step = stage }
        return error
    }
}

/// Several errors found together, e.g. every compiler error of a notebook.
public struct NotebookErrors: Error, CustomStringConvertible, Sendable {
    /// The errors, in the order they were found.
    public var errors: [NotebookError]

    /// Creates a collection of errors.
    public init(_ errors: [NotebookError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
