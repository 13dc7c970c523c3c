// Read accessors over the cases of `OutputItem`, for code that looks at one field whatever the
// case, and the two members the runner's failure classification (`RunFailure`, formerly in
// `NotebookRunner`) still uses from the time when an item was a kind plus optionals.

extension OutputItem {
    /// The text of a text, value or error item (an error's message); `nil` for the others.
    ///
    /// Setting it replaces the text of a text, value or error item and does nothing to the
    /// others.
    public var text: String? {
        get {
            switch self {
            case .text(let text), .value(let text), .error(let text, _): text
            case .table, .image, .chart: nil
            }
        }
        set {
            guard let newValue else { return }
            switch self {
            case .text: self = .text(newValue)
            case .value: self = .value(newValue)
            case .error(_, let isExpected): self = .error(message: newValue, isExpected: isExpected)
            case .table, .image, .chart: break
            }
        }
    }

    /// The caption text of a table or figure.
    public var caption: String? { numberedCaption?.text }

    /// The label of a table or figure.
    public var label: String? { numberedCaption?.label }

    /// The file of an image or chart.
    public var file: String? { figure?.file }

    /// For an error: whether the block was marked `expect-error`; `nil` for the others.
    public var isExpected: Bool? {
        if case .error(_, let isExpected) = self { isExpected } else { nil }
    }

    /// The message of an error the block was not marked to expect; `nil` otherwise.
    public var unexpectedError: String? {
        if case .error(let message, false) = self { message } else { nil }
    }

    /// A text, value or error item from its kind (transitional, for the runner's failure
    /// classification; new code writes the case, such as `.error(message:isExpected:)`).
    ///
    /// - Precondition: `kind` is ``Kind/text``, ``Kind/value`` or ``Kind/error``.
    public init(kind: Kind, text: String, isExpected: Bool = false) {
        switch kind {
        case .text: self = .text(text)
        case .value: self = .value(text)
        case .error: self = .error(message: text, isExpected: isExpected)
        case .table, .image, .chart:
            preconditionFailure("OutputItem(kind:text:) makes text, value and error items only")
        }
    }
}
