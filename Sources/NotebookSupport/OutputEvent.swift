/// One record of the protocol between a running notebook program and the notebook runner.
///
/// The program writes events to its standard output, each on its own line after the marker
/// ``OutputEvent/marker``; everything else it prints is plain text that belongs to the block
/// running at the time. Files an event names (PNG images, SVG charts) are written into the
/// folder given by the `NOTEBOOK_OUTPUT_DIR` environment variable.
public struct OutputEvent: Codable, Hashable, Sendable {
    /// The kind of event.
    public enum Kind: String, Codable, Hashable, Sendable {
        /// The block with ``OutputEvent/block`` (0-based) starts; later output belongs to it.
        case begin
        /// The current block produced ``OutputEvent/item``.
        case item
        /// Every block ran.
        case finish
    }

    /// The marker that starts an event line: an ASCII record separator and `NB:`.
    public static let marker = "\u{1E}NB:"

    /// What happened.
    public var kind: Kind
    /// The 0-based index of the block that begins (``Kind/begin`` only).
    public var block: Int?
    /// The output (``Kind/item`` only).
    public var item: OutputItem?

    /// Creates an event.
    public init(kind: Kind, block: Int? = nil, item: OutputItem? = nil) {
        self.kind = kind
        self.block = block
        self.item = item
    }
}

/// One output of a notebook block, in the order the block produced it.
public struct OutputItem: Codable, Hashable, Sendable {
    /// The kind of output.
    public enum Kind: String, Codable, Hashable, Sendable {
        /// Printed text (``OutputItem/text``).
        case text
        /// A value shown with `show(_:)`: its description in ``OutputItem/text``.
        case value
        /// A table (``OutputItem/columns`` and ``OutputItem/rows``), numbered "Table n".
        case table
        /// A PNG image file (``OutputItem/file``), numbered "Figure n".
        case image
        /// An SVG chart file (``OutputItem/file``), numbered "Figure n".
        case chart
        /// An error the block threw or a crash (``OutputItem/text``).
        case error
    }

    /// What this output is.
    public var kind: Kind
    /// Text, value description or error message.
    public var text: String?
    /// A file name inside the output folder (images and charts).
    public var file: String?
    /// Column headers of a table.
    public var columns: [String]?
    /// Rows of a table, each with one string per column.
    public var rows: [[String]]?
    /// A caption for a table or figure.
    public var caption: String?
    /// A label (e.g. `fig:hypersurface`) that the notebook's prose can reference with `\ref{…}`.
    public var label: String?
    /// Alternative text for an image or chart.
    public var alt: String?
    /// For ``Kind/error``: whether the block was marked as expecting an error.
    public var isExpected: Bool?
    /// Display width of an image in CSS pixels, when it should not be its natural width.
    public var displayWidth: Int?

    /// Creates an output item.
    public init(
        kind: Kind, text: String? = nil, file: String? = nil, columns: [String]? = nil,
        rows: [[String]]? = nil, caption: String? = nil, label: String? = nil, alt: String? = nil,
        isExpected: Bool? = nil, displayWidth: Int? = nil
    ) {
        self.kind = kind
        self.text = text
        self.file = file
        self.columns = columns
        self.rows = rows
        self.caption = caption
        self.label = label
        self.alt = alt
        self.isExpected = isExpected
        self.displayWidth = displayWidth
    }
}
