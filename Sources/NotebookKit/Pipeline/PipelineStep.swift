/// The steps from notebooks to a site, in order.
public enum PipelineStage: String, CaseIterable, Codable, Sendable {
    /// Front matter and Markdown to a ``Notebook``.
    case parse
    /// Notebooks to the generated package of their programs.
    case generate
    /// The generated package compiled.
    case build
    /// A program run, its outputs collected per block.
    case run
    /// Outputs, math and prose to HTML.
    case render
    /// Pages, index, search and assets written and swapped in.
    case site
}

/// One named step of the pipeline: a value that turns its input into its output.
///
/// Call a step through ``callAsFunction(_:)``: whatever it throws leaves as a ``NotebookError``
/// (or ``NotebookErrors``) that names the step and the notebook, e.g.
/// `Notebooks/x.md:42: error: build: cannot find 'y' in scope`.
public protocol PipelineStep: Sendable {
    /// What the step consumes.
    associatedtype Input
    /// What the step produces.
    associatedtype Output

    /// The step's place in the pipeline, named in its errors.
    static var stage: PipelineStage { get }

    /// The notebook file that errors without a place of their own are reported against.
    func file(of input: Input) -> String

    /// Does the step's work. Errors need not name the step; ``callAsFunction(_:)`` adds it.
    func perform(_ input: Input) throws -> Output
}

extension PipelineStep {
    /// Performs the step, attributing its errors to it (see ``PipelineStage/attributing(file:_:)``).
    public func callAsFunction(_ input: Input) throws -> Output {
        try Self.stage.attributing(file: file(of: input)) { try perform(input) }
    }
}

extension PipelineStage {
    /// Runs `body`, and gives every error it throws this step: a ``NotebookError`` or each of
    /// ``NotebookErrors`` keeps its place and gets the step if it has none yet; any other error
    /// becomes a ``NotebookError`` of `file` with the error's description as message.
    public func attributing<Result>(file: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as NotebookError {
            throw error.attributed(to: self)
        } catch let errors as NotebookErrors {
            throw NotebookErrors(errors.errors.map { $0.attributed(to: self) })
        } catch {
            throw NotebookError(file: file, step: self, message: "\(error)")
        }
    }
}
