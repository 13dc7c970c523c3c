import Foundation
import LinearAlgebra
import NotebookSupport
import PNGCodec

/// How ``show(_:caption:label:options:)`` draws a hypersurface.
///
/// ```swift
/// try show(h, options: .init(overlay: true, limit: 0.05))
/// ```
public struct HyperSurfaceDisplay: Hashable, Sendable {
    /// Screen pixels per image pixel.
    public var scale = 5
    /// Whether the input image is the first panel.
    public var showsInput = true
    /// Whether the three colour channels of `H^I` get a panel each.
    public var showsChannels = true
    /// Whether a panel lays `H^I` (summed over colours) over the image.
    public var overlay = false
    /// Whether the receptive field is outlined (when it is not the whole image).
    public var outlinesReceptiveField = true
    /// The magnitude at full colour; default: the largest `|H^I|`.
    public var limit: Double?
    /// Whether the table of `c`, `ĉ`, `ε`, `⟨x|H^I⟩`, `⟨x_b|H^b⟩` follows the figure.
    public var showsTable = true

    /// Creates display options; every argument has a default.
    ///
    /// ```swift
    /// let large = HyperSurfaceDisplay(scale: 8, overlay: true)
    /// ```
    public init(
        scale: Int = 5, showsInput: Bool = true, showsChannels: Bool = true, overlay: Bool = false,
        outlinesReceptiveField: Bool = true, limit: Double? = nil, showsTable: Bool = true
    ) {
        self.scale = scale
        self.showsInput = showsInput
        self.showsChannels = showsChannels
        self.overlay = overlay
        self.outlinesReceptiveField = outlinesReceptiveField
        self.limit = limit
        self.showsTable = showsTable
    }
}

extension HyperSurface {
    /// The figure ``show(_:caption:label:options:)`` draws: the input, `H^I` as RGB and per
    /// colour channel on one diverging scale with its colour bar, optionally the overlay;
    /// the receptive field outlined on every panel.
    ///
    /// ```swift
    /// let png = try h.figure().raster  // the pixels, for a test or a file
    /// ```
    /// - Throws: ``PlacedError`` when a picture cannot be built.
    public func figure(_ options: HyperSurfaceDisplay = .init()) throws -> PanelFigure {
        let (height, width) = (image.shape.height, image.shape.width)
        let scale = options.scale
        let values = image.values.map { Float($0) }
        let limit = Float(options.limit ?? Double(image.maximumMagnitude))
        let pixels = input.values.map { Float($0) }
        var panels: [PanelFigure.Panel] = []
        if options.showsInput, input.shape.channels == 3 {
            panels.append(
                .init(
                    label: "input x",
                    image: try Images.rgb(pixels, width: width, height: height, range: 0...1, scale: scale)))
        }
        if image.shape.channels == 3 {
            let range = limit > 0 ? -limit...limit : nil
            panels.append(
                .init(
                    label: "Hᴵ (RGB)",
                    image: try Images.rgb(values, width: width, height: height, range: range, scale: scale)))
        }
        if options.showsChannels || image.shape.channels != 3 {
            let names =
                image.shape.channels == 3
                ? ["red", "green", "blue"] : (0..<image.shape.channels).map { "channel \($0)" }
            for channel in 0..<image.shape.channels {
                let plane = image.channel(channel).values.map { Float($0) }
                panels.append(
                    .init(
                        label: "Hᴵ \(names[channel])",
                        image: try Images.diverging(
                            plane, width: width, height: height, limit: limit, scale: scale)))
            }
        }
        if options.overlay, input.shape.channels == 3 {
            let summed = image.sumOverChannels().values.map { Float($0) }
            panels.append(
                .init(
                    label: "Σ colours Hᴵ over x",
                    image: try Images.overlay(
                        image: pixels, values: summed, width: width, height: height, scale: scale)))
        }
        if options.outlinesReceptiveField, receptiveField != .whole(image.shape) {
            panels = try panels.map {
                .init(
                    label: $0.label,
                    image: try Images.outlined(
                        $0.image, rows: receptiveField.rows, columns: receptiveField.columns, scale: scale))
            }
        }
        return try PanelFigure(
            title: "Hᴵ of \(mode) in \(layerName)", panels: panels,
            colorBar: .init(limit: Double(limit), label: "Hᴵ"))
    }

    /// One row of `c`, `ĉ`, `ε` (Eq. 16), `⟨x|H^I⟩` and `⟨x_b|H^b⟩`.
    ///
    /// ```swift
    /// show(h.reconstructionTable(), caption: "RM0 of the predicted class.")
    /// ```
    public func reconstructionTable(digits: Int = 6) -> Table {
        var table = Table(columns: [
            "mode", "$c$", "$\\hat c$", "$\\varepsilon$", "$\\langle x|H^I\\rangle$",
            "$\\langle x_b|H^b\\rangle$",
        ])
        let cells: [TableCell] = [
            .text(terms.count == 1 ? "\(mode)" : "Σ of \(terms.count) terms"),
            .fixed(Double(actual), digits: digits), .fixed(Double(reconstructed), digits: digits),
            .scientific(relativeError), .fixed(Double(imageContribution), digits: 4),
            .fixed(Double(biasContribution), digits: 4),
        ]
        table.append(cells)
        return table
    }
}

/// Shows a hypersurface: its figure (``HyperSurface/figure(_:)``) and, below it, the table of
/// its reconstruction.
///
/// ```swift
/// let h = try vgg.network.backMap(x, mode: .rm2(layer: 3, channel: 5, row: 8, column: 8))
/// try show(h, caption: "One unit of conv3.")
/// ```
/// - Throws: When a picture cannot be built or written.
public func show<T>(
    _ h: HyperSurface<T>, caption: String? = nil, label: String? = nil, options: HyperSurfaceDisplay = .init()
) throws {
    let field =
        h.receptiveField == .whole(h.image.shape)
        ? "the whole image" : "the receptive field, \(h.receptiveField), outlined in green"
    let defaultCaption =
        "$\\mathbf{H}^I$ of \(h.mode) (\(h.layerName), $k = \(String(format: "%g", Double(h.scale)))$, "
        + "own bias \(h.includesOwnBias ? "included" : "excluded")); the unit sees \(field). One diverging scale for the colour channels: red positive, blue negative."
    try show(try h.figure(options), caption: caption ?? defaultCaption, label: label)
    if options.showsTable {
        show(
            h.reconstructionTable(),
            caption:
                "Reconstruction of \(h.mode): $\\hat c = \\langle x|H^I\\rangle + \\langle x_b|H^b\\rangle$.")
    }
}
