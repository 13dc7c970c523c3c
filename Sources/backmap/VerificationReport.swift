import BackMap
import Foundation

/// What `backmap verify --json` and `backmap merge --json` print: the Table-3-style rows of a
/// verification record (and, for merges and `--out` runs, its provenance).
struct VerificationReport: Codable {
    struct Row: Codable {
        var layer: String
        var units: Int
        var withinOnePercent: Double
        /// 95% interval of `withinOnePercent`, images as clusters (ClusteredInterval).
        var withinOnePercentInterval: ClusteredInterval?
        /// Percent of units within each of `LayerStatistics.thresholds`, keyed like "1e-03".
        var withinThresholds: [String: Double]
        var maxAbsError: Double
        /// Where the largest |ε| first occurs: image index, flat HWC unit index.
        var maxAbsErrorAt: UnitLocation?
        /// The lower median of |ε|, from the logarithmic histogram.
        var medianAbsError: Double
        /// Relative resolution of `medianAbsError` (half a logarithmic bin).
        var medianResolution: Double
        /// Max |ε| over units with |c| ≥ 1e−6 · the layer's max |c| (same image).
        var maxAbsErrorSignificant: Double
        var maxAbsErrorSignificantAt: UnitLocation?
        /// Only with `--histogram`.
        var histogram: ErrorHistogram?
    }

    var model: String
    var precision: String
    var images: Int
    var imageRanges: [Range<Int>]
    var settings: VerificationSettings
    var layers: [Row]
    var provenance: VerificationProvenance?

    init(_ record: VerificationRecord, histogram: Bool, provenance: Bool) {
        model = record.model
        precision = record.precision
        images = record.images
        imageRanges = record.imageRanges
        settings = record.settings
        self.provenance = provenance ? record.provenance : nil
        layers = record.layers.map { statistics in
            Row(
                layer: statistics.layer, units: statistics.units,
                withinOnePercent: statistics.withinOnePercent,
                withinOnePercentInterval: statistics.interval(forThreshold: 0),
                withinThresholds: Dictionary(
                    uniqueKeysWithValues: LayerStatistics.thresholds.indices.map {
                        (
                            String(format: "%.0e", LayerStatistics.thresholds[$0]),
                            statistics.percentWithin(thresholdIndex: $0)
                        )
                    }),
                maxAbsError: statistics.maxAbsError, maxAbsErrorAt: statistics.largest.location,
                medianAbsError: statistics.medianAbsError,
                medianResolution: MagnitudeHistogram.relativeResolution,
                maxAbsErrorSignificant: statistics.maxAbsErrorSignificant,
                maxAbsErrorSignificantAt: statistics.largestSignificant.location,
                histogram: histogram ? statistics.histogram : nil)
        }
    }

    /// The human-readable table (the paper's Table 3 with intervals and locations).
    func printTable(heading: String) {
        print(heading)
        let rows = layers.map { row -> [String] in
            let interval = row.withinOnePercentInterval.map {
                String(format: "%.4f–%.4f", $0.lower, $0.upper)
            }
            let place = row.maxAbsErrorAt.map { "image \($0.image.map(String.init) ?? "?"), unit \($0.unit)" }
            return [
                row.layer, String(row.units), String(format: "%.4f", row.withinOnePercent), interval ?? "—",
                Console.scientific(row.maxAbsError), place ?? "—", Console.scientific(row.medianAbsError),
                Console.scientific(row.maxAbsErrorSignificant),
            ]
        }
        Console.table(
            [
                [
                    "layer", "units", "% |ε| ≤ 1%", "95% interval", "max |ε|", "where", "median |ε|",
                    "max |ε|, |c| ≥ 1e-6·max",
                ]
            ] + rows)
        print(
            "95% intervals: Wilson score with images as clusters (effective sample size from the "
                + "between-image variance); medians to ±"
                + String(format: "%.2f%%", 100 * MagnitudeHistogram.relativeResolution)
                + " (logarithmic bins); units are flat HWC indices.")
        for row in layers {
            guard let bins = row.histogram else { continue }
            print(
                "\(row.layer): ε histogram over [\(bins.lower), \(bins.upper)], "
                    + "\(bins.below) below, \(bins.above) above:")
            print("  " + bins.counts.map(String.init).joined(separator: " "))
        }
    }
}
