import Foundation

/// A histogram whose counts were binned elsewhere (for example over thousands of images by a
/// verification job) on a fixed range, drawn with a logarithmic count axis so that the tails
/// stay visible next to a tall central peak.
///
/// ```swift
/// try show(BinnedHistogram(counts: [1, 40, 900, 35, 2], lower: -1e-4, upper: 1e-4,
///                          below: 3, above: 1, title: "conv1: ε", xLabel: "ε"))
/// ```
public struct BinnedHistogram: SVGChart, Hashable {
    /// The title above the plot.
    public var title: String
    /// The label of the horizontal axis.
    public var xLabel: String
    /// Counts per equal-width bin from ``lower`` to ``upper``.
    public var counts: [Int]
    /// Lower edge of the first bin.
    public var lower: Double
    /// Upper edge of the last bin.
    public var upper: Double
    /// Values below ``lower`` (reported in a note under the plot).
    public var below: Int
    /// Values above ``upper``, and NaN (reported in a note).
    public var above: Int

    /// Creates a histogram from its counts.
    public init(
        counts: [Int], lower: Double, upper: Double, below: Int = 0, above: Int = 0, title: String,
        xLabel: String = "value"
    ) {
        self.counts = counts
        self.lower = lower
        self.upper = upper
        self.below = below
        self.above = above
        self.title = title
        self.xLabel = xLabel
    }

    /// The SVG document: bar heights are `log₁₀` of the counts (a count of 1 is a thin bar).
    public var svg: String {
        var plot = SVGPlot(title: title, xLabel: xLabel, yLabel: "count (log scale)")
        let highest = max(1, counts.max() ?? 1)
        let highExponent = max(1, Int(log10(Double(highest)).rounded(.up)))
        plot.drawLogYAxis(lowExponent: 0, highExponent: highExponent)
        let barWidth = SVGPlot.plotWidth / Double(max(1, counts.count))
        for (index, count) in counts.enumerated() where count > 0 {
            // log10(1) = 0 would draw nothing: give single counts a visible sliver.
            let fraction = max(log10(Double(count)) / Double(highExponent), 0.01)
            plot.rect(
                x: Double(index) * barWidth, width: barWidth, height: fraction * SVGPlot.plotHeight,
                fill: "#4c72b0", tooltip: "\(count)")
        }
        plot.xTick(at: 0, label: SVGPlot.format(lower))
        plot.xTick(at: SVGPlot.plotWidth / 2, label: SVGPlot.format((lower + upper) / 2))
        plot.xTick(at: SVGPlot.plotWidth, label: SVGPlot.format(upper))
        let total = counts.reduce(below + above, +)
        plot.note(
            "\(total) values; \(below) below \(SVGPlot.format(lower)) and \(above) above "
                + "\(SVGPlot.format(upper)) (not drawn)")
        return plot.document
    }
}
