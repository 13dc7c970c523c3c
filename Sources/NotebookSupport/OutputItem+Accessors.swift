// Read accessors over the cases of `OutputItem`, for code that looks at one field whatever the
// case (tests, summaries); code that handles an item switches over its cases.

extension OutputItem {
    /// The text of a text, value or error item (an error's message); `nil` for the others.
    public var text: String? {
        switch self {
        case .text(let text), .value(let text), .error(let text, _): text
        case .table, .image, .chart: nil
        }
    }

    /// The caption text of a table or figure.
    public var caption: String? { numberedCaption?.text }

    /// The label of a table or figure.
    public var label: String? { numberedCaption?.label }

    /// The file of an image or chart.
    public var file: String? { figure?.file }
}
