import LinearAlgebra
import NotebookSupport

/// The bias parts `⟨x_b|H^b⟩` of several hypersurfaces, split by the layer each bias belongs
/// to: a table of signed contributions and a chart of each layer's share.
///
/// ```swift
/// let breakdown = BiasBreakdown([("RM0", rm0), ("RM2", rm2)])
/// try show(breakdown.shareChart(), caption: "Where the bias part comes from.")
/// show(breakdown.table, caption: "Signed contributions by layer.")
/// ```
public struct BiasBreakdown<T: BLASScalar>: Sendable {
    /// The name of each hypersurface (a table row, a chart series).
    public var names: [String]
    /// Each hypersurface's groups (``HyperSurface/biasByLayer``).
    public var groups: [[BiasGroup<T>]]
    /// Each hypersurface's `⟨x_b|H^b⟩`.
    public var totals: [T]

    /// Splits the bias part of each named hypersurface (all of one network).
    ///
    /// ```swift
    /// let breakdown = BiasBreakdown([("RM0", rm0), ("RM1", rm1)])
    /// ```
    public init(_ surfaces: [(name: String, surface: HyperSurface<T>)]) {
        names = surfaces.map(\.name)
        groups = surfaces.map(\.surface.biasByLayer)
        totals = surfaces.map(\.surface.biasContribution)
    }

    /// The source layers, in `x_b` order (`bn0`, …, `fc.bias`).
    public var sources: [String] { groups.first?.map(\.source) ?? [] }

    /// One row per hypersurface: `Σ_m x_{b,m} H^b_m` of every layer, then the total.
    ///
    /// ```swift
    /// show(breakdown.table, caption: "Signed contributions by layer.")
    /// ```
    public var table: Table {
        var table = Table(
            columns: ["mode"] + sources.map { "\($0): $\\sum x_b H^b$" } + [
                "total $\\langle x_b|H^b\\rangle$"
            ])
        for (index, name) in names.enumerated() {
            table.append(
                [TableCell.text(name)] + groups[index].map { TableCell.fixed($0.contribution, digits: 4) }
                    + [TableCell.fixed(Double(totals[index]), digits: 4)])
        }
        return table
    }

    /// The share of each layer in `Σ_m |x_{b,m} H^b_m|`, in percent, per hypersurface.
    ///
    /// ```swift
    /// let fromConv0 = breakdown.shares[0][0]  // % of the first surface's bias part from bn0
    /// ```
    public var shares: [[Double]] {
        groups.map { groups in
            let total = groups.map(\.magnitude).reduce(0, +)
            return groups.map { total > 0 ? 100 * $0.magnitude / total : 0 }
        }
    }

    /// Bars of ``shares``, grouped by layer, one colour per hypersurface.
    ///
    /// ```swift
    /// try show(breakdown.shareChart(), caption: "Shares of each layer.")
    /// ```
    public func shareChart(title: String = "Where the bias part comes from") -> BarChart {
        let shares = shares
        return BarChart(
            title: title, series: names,
            groups: sources.enumerated().map { group, source in
                BarChart.Group(label: source, values: shares.map { $0[group] })
            }, yLabel: "% of Σ |bias · Hᵇ|")
    }
}

/// Shows the bias part of one hypersurface grouped by layer: a bar chart of each layer's share
/// of `Σ_m |x_{b,m} H^b_m|`, then a table of each layer's signed contribution, its magnitude
/// and its share.
///
/// ```swift
/// try show(h.biasByLayer, caption: "The bias part of RM0, by layer.")
/// ```
/// - Parameters:
///   - caption: The table's caption (the chart's says what it shows).
///   - label: The table's label; the chart gets it with the prefix `fig:`.
/// - Throws: When the chart cannot be written.
public func show<T>(_ groups: [BiasGroup<T>], caption: String? = nil, label: String? = nil) throws {
    let total = groups.map(\.magnitude).reduce(0, +)
    let shares = groups.map { total > 0 ? 100 * $0.magnitude / total : 0 }
    let chart = BarChart(
        title: "Share of each layer in Σ |bias · Hᵇ|", series: ["share"],
        groups: zip(groups, shares).map { BarChart.Group(label: $0.source, values: [$1]) },
        yLabel: "% of Σ |bias · Hᵇ|")
    try show(
        chart, caption: "Share of each layer's biases in $\\sum_m |x_{b,m} H^b_m|$.",
        label: label.map { "fig:" + $0 })
    var table = Table(
        columns: ["layer", "scalars", "$\\sum x_b H^b$", "$\\sum |x_b H^b|$", "share of $\\sum |x_b H^b|$"])
    for (group, share) in zip(groups, shares) {
        table.append([
            TableCell.text(group.source), group.terms.count, TableCell.fixed(group.contribution, digits: 4),
            TableCell.fixed(group.magnitude, digits: 4), Table.fixed(share, digits: 1) + "%",
        ])
    }
    show(table, caption: caption, label: label)
}
