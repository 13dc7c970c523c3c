import Foundation

/// A chart drawn as a standalone SVG document.
public protocol SVGChart: Sendable {
    /// The chart's title, drawn above the plot and used as alternative text.
    var title: String { get }
    /// The SVG document, deterministic for the same data.
    var svg: String { get }
}

/// A histogram of values, like the error histograms of the paper's Figs. 6–11.
public struct Histogram: SVGChart, Hashable {
    /// The title above the plot.
    public var title: String
    /// The label of the horizontal axis.
    public var xLabel: String
    /// The values counted.
    public var values: [Double]
    /// The number of equal-width bins.
    public var binCount: Int
    /// Bin the base-10 logarithm of `|value|` instead of the value (for errors spanning
    /// several orders of magnitude); zeros are counted in a separate note.
    public var isLogarithmic: Bool

    /// Creates a histogram.
    public init(
        _ values: [Double], title: String, xLabel: String = "value", binCount: Int = 30,
        isLogarithmic: Bool = false
    ) {
        self.values = values
        self.title = title
        self.xLabel = xLabel
        self.binCount = max(1, binCount)
        self.isLogarithmic = isLogarithmic
    }

    /// The counts per bin and the bins' lower and upper edges.
    public var bins: (counts: [Int], lower: Double, upper: Double) {
        let data = transformedValues
        guard let low = data.min(), let high = data.max() else { return ([], 0, 1) }
        let upper = high > low ? high : low + 1
        var counts = [Int](repeating: 0, count: binCount)
        for value in data {
            let position = Int(((value - low) / (upper - low)) * Double(binCount))
            counts[min(binCount - 1, max(0, position))] += 1
        }
        return (counts, low, upper)
    }

    /// The SVG document.
    public var svg: String {
        let (counts, low, high) = bins
        var plot = SVGPlot(
            title: title, xLabel: isLogarithmic ? "log₁₀ |\(xLabel)|" : xLabel,
            yLabel: "count")
        let ticks = SVGPlot.niceTicks(upTo: Double(max(1, counts.max() ?? 1)))
        let top = max(Double(counts.max() ?? 1), ticks.last ?? 1)
        plot.drawYAxis(ticks: ticks, maximum: top)
        let barWidth = SVGPlot.plotWidth / Double(max(1, counts.count))
        for (index, count) in counts.enumerated() where count > 0 {
            let height = Double(count) / top * SVGPlot.plotHeight
            plot.rect(
                x: Double(index) * barWidth, width: barWidth, height: height,
                fill: "#4c72b0", tooltip: "\(count)")
        }
        plot.xTick(at: 0, label: SVGPlot.format(low))
        plot.xTick(at: SVGPlot.plotWidth / 2, label: SVGPlot.format((low + high) / 2))
        plot.xTick(at: SVGPlot.plotWidth, label: SVGPlot.format(high))
        let zeros = values.count - transformedValues.count
        if zeros > 0 { plot.note("\(zeros) values not shown (zero or not finite)") }
        return plot.document
    }

    private var transformedValues: [Double] {
        guard isLogarithmic else { return values.filter(\.isFinite) }
        return values.compactMap { $0 != 0 && $0.isFinite ? log10(abs($0)) : nil }
    }
}

/// A bar chart of several series grouped by category, e.g. the error of each reconstruction
/// mode (series) for each layer (groups).
public struct BarChart: SVGChart, Hashable {
    /// One group of bars, e.g. one layer.
    public struct Group: Hashable, Sendable {
        /// The label under the group.
        public var label: String
        /// One value per series.
        public var values: [Double]

        /// Creates a group.
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    /// The title above the plot.
    public var title: String
    /// The names of the series, shown in the legend.
    public var series: [String]
    /// The groups, left to right.
    public var groups: [Group]
    /// The label of the vertical axis.
    public var yLabel: String
    /// Use a base-10 logarithmic vertical axis (values must be positive).
    public var isLogarithmic: Bool

    /// Creates a bar chart.
    public init(
        title: String, series: [String], groups: [Group], yLabel: String = "value",
        isLogarithmic: Bool = false
    ) {
        self.title = title
        self.series = series
        self.groups = groups
        self.yLabel = yLabel
        self.isLogarithmic = isLogarithmic
    }

    /// The SVG document.
    public var svg: String {
        let palette = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]
        var plot = SVGPlot(title: title, xLabel: "", yLabel: isLogarithmic ? "\(yLabel) (log)" : yLabel)
        let all = groups.flatMap(\.values).filter { $0.isFinite && (!isLogarithmic || $0 > 0) }
        let height: (Double) -> Double
        if isLogarithmic {
            let low = floor(log10(all.min() ?? 1))
            let high = max(low + 1, ceil(log10(all.max() ?? 10)))
            height = { value in
                value > 0 ? (log10(value) - low) / (high - low) * SVGPlot.plotHeight : 0
            }
            plot.drawLogYAxis(lowExponent: Int(low), highExponent: Int(high))
        } else {
            let maximum = max(all.max() ?? 1, Double.leastNonzeroMagnitude)
            let ticks = SVGPlot.niceTicks(upTo: maximum)
            let top = max(maximum, ticks.last ?? maximum)
            height = { value in max(0, value) / top * SVGPlot.plotHeight }
            plot.drawYAxis(ticks: ticks, maximum: top)
        }
        let groupWidth = SVGPlot.plotWidth / Double(max(1, groups.count))
        let barWidth = groupWidth * 0.8 / Double(max(1, series.count))
        for (groupIndex, group) in groups.enumerated() {
            let left = Double(groupIndex) * groupWidth + groupWidth * 0.1
            for (seriesIndex, value) in group.values.enumerated() where value.isFinite {
                plot.rect(
                    x: left + Double(seriesIndex) * barWidth, width: barWidth,
                    height: height(value), fill: palette[seriesIndex % palette.count],
                    tooltip: "\(seriesName(seriesIndex)) \(group.label): \(SVGPlot.format(value))"
                )
            }
            plot.xTick(at: left + groupWidth * 0.4, label: group.label)
        }
        plot.legend(series.enumerated().map { ($1, palette[$0 % palette.count]) })
        return plot.document
    }

    private func seriesName(_ index: Int) -> String {
        index < series.count ? series[index] : "series \(index + 1)"
    }
}

// MARK: - Drawing

/// A fixed-size plot area with axes; shared by the charts.
struct SVGPlot {
    static let plotWidth = 520.0
    static let plotHeight = 260.0
    static let left = 70.0
    static let top = 40.0

    var title: String
    var xLabel: String
    var yLabel: String
    private var body: [String] = []
    private var notes: [String] = []

    init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    var document: String {
        let width = Self.left + Self.plotWidth + 140
        let height = Self.top + Self.plotHeight + 70 + Double(notes.count) * 16
        let bottom = Self.top + Self.plotHeight
        let center = Self.left + Self.plotWidth / 2
        var lines = [
            Self.element(
                "svg",
                [
                    ("xmlns", "http://www.w3.org/2000/svg"),
                    ("viewBox", "0 0 \(Self.format(width)) \(Self.format(height))"),
                    ("width", Self.format(width)), ("height", Self.format(height)),
                    ("font-family", "sans-serif"), ("font-size", "12"),
                ], isOpen: true),
            Self.element("title", [], text: title),
            Self.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "white")]),
            Self.element(
                "text",
                [
                    ("x", Self.format(center)), ("y", "20"), ("text-anchor", "middle"),
                    ("font-size", "14"), ("font-weight", "bold"),
                ], text: title),
        ]
        lines += body
        lines.append(Self.line(Self.left, bottom, Self.left + Self.plotWidth, bottom, "black"))
        lines.append(Self.line(Self.left, Self.top, Self.left, bottom, "black"))
        lines.append(
            Self.element(
                "text",
                [
                    ("x", Self.format(center)), ("y", Self.format(bottom + 40)), ("text-anchor", "middle"),
                ], text: xLabel))
        lines.append(
            Self.element(
                "text",
                [
                    ("transform", "translate(18 \(Self.format(Self.top + Self.plotHeight / 2))) rotate(-90)"),
                    ("text-anchor", "middle"),
                ], text: yLabel))
        for (index, note) in notes.enumerated() {
            lines.append(
                Self.element(
                    "text",
                    [
                        ("x", Self.format(Self.left)), ("y", Self.format(bottom + 60 + Double(index) * 16)),
                        ("font-size", "11"), ("fill", "#555"),
                    ], text: note))
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    mutating func rect(x: Double, width: Double, height: Double, fill: String, tooltip: String) {
        let attributes = [
            ("x", Self.format(Self.left + x)), ("y", Self.format(Self.top + Self.plotHeight - height)),
            ("width", Self.format(max(0, width - 1))), ("height", Self.format(height)), ("fill", fill),
        ]
        body.append(
            Self.element("rect", attributes, isOpen: true)
                + Self.element("title", [], text: tooltip) + "</rect>")
    }

    mutating func xTick(at x: Double, label: String) {
        let bottom = Self.top + Self.plotHeight
        body.append(Self.line(Self.left + x, bottom, Self.left + x, bottom + 4, "black"))
        body.append(
            Self.element(
                "text",
                [
                    ("x", Self.format(Self.left + x)), ("y", Self.format(bottom + 18)),
                    ("text-anchor", "middle"),
                ], text: label))
    }

    mutating func drawYAxis(ticks: [Double], maximum: Double) {
        for tick in ticks where tick <= maximum * 1.000001 {
            let y = Self.top + Self.plotHeight - tick / maximum * Self.plotHeight
            yTick(y: y, label: Self.format(tick))
        }
    }

    mutating func drawLogYAxis(lowExponent: Int, highExponent: Int) {
        for exponent in lowExponent...highExponent {
            let fraction = Double(exponent - lowExponent) / Double(highExponent - lowExponent)
            yTick(y: Self.top + Self.plotHeight - fraction * Self.plotHeight, label: "1e\(exponent)")
        }
    }

    mutating func legend(_ entries: [(String, String)]) {
        for (index, entry) in entries.enumerated() {
            let y = Self.top + Double(index) * 18
            let x = Self.left + Self.plotWidth + 15
            body.append(
                Self.element(
                    "rect",
                    [
                        ("x", Self.format(x)), ("y", Self.format(y)), ("width", "12"), ("height", "12"),
                        ("fill", entry.1),
                    ]))
            body.append(
                Self.element(
                    "text",
                    [
                        ("x", Self.format(x + 18)), ("y", Self.format(y + 10)),
                    ], text: entry.0))
        }
    }

    mutating func note(_ text: String) {
        notes.append(text)
    }

    private mutating func yTick(y: Double, label: String) {
        body.append(Self.line(Self.left - 4, y, Self.left + Self.plotWidth, y, "#ddd"))
        body.append(
            Self.element(
                "text",
                [
                    ("x", Self.format(Self.left - 8)), ("y", Self.format(y + 4)), ("text-anchor", "end"),
                ], text: label))
    }

    /// An element with escaped attribute values and text: self-closing without text, an
    /// opening tag alone when `isOpen`.
    private static func element(
        _ name: String, _ attributes: [(String, String)], text: String? = nil,
        isOpen: Bool = false
    ) -> String {
        let attributeText = attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
        if isOpen { return "<\(name)\(attributeText)>" }
        guard let text else { return "<\(name)\(attributeText)/>" }
        return "<\(name)\(attributeText)>\(escape(text))</\(name)>"
    }

    private static func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ stroke: String
    ) -> String {
        element(
            "line",
            [
                ("x1", format(x1)), ("y1", format(y1)), ("x2", format(x2)), ("y2", format(y2)),
                ("stroke", stroke),
            ])
    }

    /// Round tick values (1, 2 or 5 times a power of ten) from zero up to at least `maximum`.
    static func niceTicks(upTo maximum: Double) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0] }
        let rough = maximum / 5
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        return (0...Int((maximum / step).rounded(.up))).map { Double($0) * step }
    }

    /// A compact, locale-independent number: integers as such, others with up to 4
    /// significant digits.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        if abs(value) >= 1e-3, abs(value) < 1e5 {
            var text = String(format: "%.4g", value)
            if text.contains("e") { text = String(format: "%.2f", value) }
            return text
        }
        return String(format: "%.2e", value)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
