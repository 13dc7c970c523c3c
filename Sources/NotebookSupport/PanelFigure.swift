import Diagnostics
import Foundation
import PNGCodec

/// A row of labelled picture panels with an optional colour bar: one PNG (``raster``) with
/// the panels and the bar, wrapped in SVG that adds the panel labels and the bar's ticks.
///
/// ```swift
/// let figure = try PanelFigure(
///     title: "Hᴵ of one unit",
///     panels: [.init(label: "input x", image: input), .init(label: "Hᴵ red", image: red)],
///     colorBar: .init(limit: 0.02, label: "Hᴵ"))
/// try show(figure, caption: "The red channel of $\\mathbf{H}^I$.")
/// ```
public struct PanelFigure: SVGChart, Sendable {
    /// One picture with the label written above it.
    public struct Panel: Sendable {
        /// The label above the panel.
        public var label: String
        /// The picture.
        public var image: PNGImage

        /// Creates a panel.
        public init(label: String, image: PNGImage) {
            self.label = label
            self.image = image
        }
    }

    /// The diverging scale of the panels, drawn as a bar from `-limit` to `+limit`.
    public struct ColorBar: Sendable {
        /// The magnitude at full colour.
        public var limit: Double
        /// The label above the bar.
        public var label: String

        /// Creates a colour bar description.
        public init(limit: Double, label: String) {
            self.limit = limit
            self.label = label
        }
    }

    /// Pixels between panels.
    public static let gap = 10
    /// Width of the colour bar in pixels.
    public static let barWidth = 14
    /// Height of the label line above the panels.
    public static let labelHeight = 20

    /// The title (alternative text of the figure).
    public var title: String
    /// The panels, left to right.
    public let panels: [Panel]
    /// The colour bar, if any.
    public let colorBar: ColorBar?
    /// The panels and the colour bar in one PNG (no text).
    public let raster: PNGImage
    /// The left edge of each panel in ``raster`` (the top edge is ``gap``).
    public let panelOffsets: [Int]
    /// The left edge of the colour bar in ``raster``, if any.
    public let colorBarOffset: Int?
    /// The SVG document.
    public let svg: String

    /// Lays out the panels (of equal height) left to right, then the colour bar.
    ///
    /// - Throws: ``PlacedError`` when there are no panels or their heights differ.
    ///
    /// ```swift
    /// let figure = try PanelFigure(title: "x", panels: [.init(label: "x", image: png)])
    /// ```
    public init(title: String, panels: [Panel], colorBar: ColorBar? = nil) throws {
        guard let height = panels.first?.image.height,
            panels.allSatisfy({ $0.image.height == height })
        else {
            throw PlacedError("a panel figure needs panels of one height")
        }
        let gap = Self.gap
        var offsets: [Int] = []
        var x = gap
        for panel in panels {
            offsets.append(x)
            x += panel.image.width + gap
        }
        var items = zip(panels, offsets).map { (image: $0.image, x: $1, y: gap) }
        var barOffset: Int?
        if let colorBar {
            let bar = try Images.colorBar(limit: Float(colorBar.limit), width: Self.barWidth, height: height)
            items.append((bar, x, gap))
            barOffset = x
            x += Self.barWidth + gap
        }
        self.title = title
        self.panels = panels
        self.colorBar = colorBar
        self.panelOffsets = offsets
        self.colorBarOffset = barOffset
        self.raster = try Images.canvas(width: x, height: height + 2 * gap, placing: items)
        self.svg = try Self.document(
            title: title, raster: raster, labels: zip(panels, offsets).map { ($0.label, $1, $0.image.width) },
            colorBar: colorBar.map { ($0, barOffset ?? 0) })
    }

    private static func document(
        title: String, raster: PNGImage, labels: [(String, Int, Int)], colorBar: (ColorBar, Int)?
    ) throws -> String {
        let ticksWidth = colorBar == nil ? 0 : 76
        let width = raster.width + ticksWidth
        let height = raster.height + labelHeight
        let png = Data(try raster.pngData()).base64EncodedString()
        var lines = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" "
                + "width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">",
            "<title>\(escape(title))</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<image x=\"0\" y=\"\(labelHeight)\" width=\"\(raster.width)\" height=\"\(raster.height)\" "
                + "href=\"data:image/png;base64,\(png)\"/>",
        ]
        for (label, x, panelWidth) in labels {
            lines.append(
                "<text x=\"\(x + panelWidth / 2)\" y=\"\(labelHeight + gap - 6)\" text-anchor=\"middle\">"
                    + "\(escape(label))</text>")
        }
        if let (bar, x) = colorBar {
            let top = labelHeight + gap
            let bottom = raster.height + labelHeight - gap
            let ticks = [(bar.limit, top), (0, (top + bottom) / 2), (-bar.limit, bottom)]
            for (value, y) in ticks {
                lines.append(
                    "<text x=\"\(x + barWidth + 4)\" y=\"\(y + 4)\" font-size=\"11\">"
                        + "\(escape(tickLabel(value)))</text>")
            }
            lines.append(
                "<text x=\"\(x + barWidth / 2)\" y=\"\(labelHeight + gap - 6)\" text-anchor=\"middle\">"
                    + "\(escape(bar.label))</text>")
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func tickLabel(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.3g", value).replacingOccurrences(of: "-", with: "−")
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
