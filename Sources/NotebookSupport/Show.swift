import Foundation
import PNGCodec

/// The longest value description shown in full; longer ones are cut with a note.
private let maximumShownCharacters = 4_000

/// Shows a value in the output of the current block, as its description.
///
/// - Parameters:
///   - value: Any value; `CustomStringConvertible` values use their `description`.
///   - label: An optional heading shown above the value, such as `"x_b"`.
///
/// Disfavoured, so that `show(h, label: "fig:h")` picks a display made for the value's type
/// (a hypersurface, a table, an image) whenever one exists.
@_disfavoredOverload
public func show<Value>(_ value: Value, label: String? = nil) {
    var text = String(describing: value)
    if text.count > maximumShownCharacters {
        let hidden = text.count - maximumShownCharacters
        text = String(text.prefix(maximumShownCharacters)) + "… (\(hidden) more characters)"
    }
    if let label { text = "\(label) = \(text)" }
    NotebookRuntime.emit(.value(text))
}

/// Shows a table in the output of the current block, numbered "Table n" on the page.
///
/// - Parameters:
///   - table: The table.
///   - caption: The caption under the number.
///   - label: A label such as `"tab:errors"` for `\ref{tab:errors}` in the notebook's text.
public func show(_ table: Table, caption: String? = nil, label: String? = nil) {
    NotebookRuntime.emit(.table(table, caption: OutputItem.Caption(caption, label: label)))
}

/// Shows an image in the output of the current block, numbered "Figure n" on the page.
///
/// - Parameters:
///   - image: The image; it is encoded as PNG by libpng.
///   - caption: The caption under the number.
///   - label: A label such as `"fig:hypersurface"` for `\ref{fig:hypersurface}`.
///   - alt: Alternative text for readers who cannot see the image (defaults to the caption).
///   - displayWidth: Width on the page in CSS pixels (defaults to the image's width).
/// - Throws: When the image cannot be encoded or written.
public func show(
    _ image: PNGImage, caption: String? = nil, label: String? = nil, alt: String? = nil,
    displayWidth: Int? = nil
) throws {
    let file = try NotebookRuntime.writeOutputFile(Data(image.pngData()), pathExtension: "png")
    NotebookRuntime.emit(
        .image(
            OutputItem.Figure(
                file: file, caption: OutputItem.Caption(caption, label: label), alt: alt ?? caption,
                displayWidth: displayWidth ?? image.width)))
}

/// Shows an SVG chart in the output of the current block, numbered "Figure n" on the page.
///
/// - Parameters:
///   - chart: A histogram, bar chart or any other ``SVGChart``.
///   - caption: The caption under the number.
///   - label: A label such as `"fig:errors"` for `\ref{fig:errors}`.
/// - Throws: When the chart file cannot be written.
public func show(_ chart: some SVGChart, caption: String? = nil, label: String? = nil) throws {
    let file = try NotebookRuntime.writeOutputFile(Data(chart.svg.utf8), pathExtension: "svg")
    NotebookRuntime.emit(
        .chart(
            OutputItem.Figure(
                file: file, caption: OutputItem.Caption(caption, label: label),
                alt: caption ?? chart.title)))
}
