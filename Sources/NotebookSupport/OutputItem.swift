/// One output of a notebook block, in the order the block produced it.
///
/// Stored as a JSON object whose `kind` field (`text`, `value`, `table`, `image`, `chart`,
/// `error`) says which case it is; the other fields are the case's data (see
/// `OutputItem+Codable.swift`).
public enum OutputItem: Hashable, Sendable {
    /// Printed text.
    case text(String)
    /// A value shown with `show(_:)`: its description.
    case value(String)
    /// A table, numbered "Table n" on the page.
    case table(Table, caption: Caption)
    /// A PNG image file, numbered "Figure n" on the page.
    case image(Figure)
    /// An SVG chart file, numbered "Figure n" on the page.
    case chart(Figure)
    /// An error the block threw or a crash; `isExpected` when the block was marked
    /// `expect-error`.
    case error(message: String, isExpected: Bool)

    /// The caption of a table or figure and the label the notebook's prose refers to it by.
    public struct Caption: Hashable, Sendable {
        /// The caption under the number.
        public var text: String?
        /// A label (e.g. `fig:hypersurface`) that the notebook's prose can reference with
        /// `\ref{…}`.
        public var label: String?

        /// Creates a caption.
        public init(_ text: String? = nil, label: String? = nil) {
            self.text = text
            self.label = label
        }
    }

    /// An image or chart written into the output folder.
    public struct Figure: Hashable, Sendable {
        /// The file name inside the output folder.
        public var file: String
        /// Its caption and label.
        public var caption: Caption
        /// Alternative text for readers who cannot see it.
        public var alt: String?
        /// Display width in CSS pixels, when it should not be its natural width.
        public var displayWidth: Int?

        /// Creates a figure.
        public init(file: String, caption: Caption = Caption(), alt: String? = nil, displayWidth: Int? = nil)
        {
            self.file = file
            self.caption = caption
            self.alt = alt
            self.displayWidth = displayWidth
        }
    }

    /// The cases without their data, for filtering and tests.
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        /// ``OutputItem/text(_:)``.
        case text
        /// ``OutputItem/value(_:)``.
        case value
        /// ``OutputItem/table(_:caption:)``.
        case table
        /// ``OutputItem/image(_:)``.
        case image
        /// ``OutputItem/chart(_:)``.
        case chart
        /// ``OutputItem/error(message:isExpected:)``.
        case error
    }

    /// Which case this is.
    public var kind: Kind {
        switch self {
        case .text: .text
        case .value: .value
        case .table: .table
        case .image: .image
        case .chart: .chart
        case .error: .error
        }
    }

    /// The caption and label of a table or figure; `nil` for the other cases.
    public var numberedCaption: Caption? {
        switch self {
        case .table(_, let caption): caption
        case .image(let figure), .chart(let figure): figure.caption
        case .text, .value, .error: nil
        }
    }

    /// The figure of an image or chart; `nil` for the other cases.
    public var figure: Figure? {
        switch self {
        case .image(let figure), .chart(let figure): figure
        case .text, .value, .table, .error: nil
        }
    }

    /// The table of a table output; `nil` for the other cases.
    public var table: Table? {
        if case .table(let table, _) = self { table } else { nil }
    }
}
