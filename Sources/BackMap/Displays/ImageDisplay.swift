import LinearAlgebra
import NotebookSupport

/// Shows a CIFAR-10 test image, enlarged, with a caption naming it and its class.
///
/// ```swift
/// try show(image)  // "Test image 7 of CIFAR-10 (frog)."
/// ```
/// - Throws: When the picture cannot be built or written.
public func show(_ image: TestImage, caption: String? = nil, label: String? = nil, scale: Int = 5) throws {
    let pixels = image.record.pixels(as: Float.self)
    try show(
        try Images.rgb(pixels, width: 32, height: 32, range: 0...1, scale: scale),
        caption: caption ?? "Test image \(image.index) of CIFAR-10 (\(image.className)).", label: label)
}

/// A table comparing reconstructions: per named hypersurface `c`, `ĉ`, `ε` (and `ε` of the
/// same mode in float32, when given), `⟨x|H^I⟩` and `⟨x_b|H^b⟩`.
///
/// ```swift
/// show(reconstructionTable([("RM0", rm0), ("RM2", rm2)], float32: [rm0f, rm2f]), caption: "…")
/// ```
public func reconstructionTable<T>(
    _ rows: [(name: String, surface: HyperSurface<T>)], float32: [HyperSurface<Float>]? = nil
) -> Table {
    let precision = T.self == Float.self ? "float32" : "float64"
    var table = Table(
        columns: [
            "mode", "what is mapped", "$c$ (\(precision))", "$\\hat c$ (\(precision))",
            "$\\varepsilon$ \(precision)",
        ] + (float32 == nil ? [] : ["$\\varepsilon$ float32"])
            + ["$\\langle x|H^I\\rangle$", "$\\langle x_b|H^b\\rangle$"])
    for (index, row) in rows.enumerated() {
        let h = row.surface
        let single = float32.map { [TableCell.scientific($0[index].relativeError)] } ?? []
        table.append(
            [
                .text(row.name), .text("\(h.mode)"), .fixed(Double(h.actual), digits: 6),
                .fixed(Double(h.reconstructed), digits: 6), .scientific(h.relativeError),
            ] + single
                + [
                    .fixed(Double(h.imageContribution), digits: 4),
                    .fixed(Double(h.biasContribution), digits: 4),
                ] as [TableCell])
    }
    return table
}
