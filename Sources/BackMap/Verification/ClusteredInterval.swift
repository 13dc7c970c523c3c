import Foundation

/// A confidence interval for a percentage of units, with the images as clusters.
///
/// The units of one image are not independent draws (one image's hard units come together), so
/// the interval treats each image as a cluster: the variance of the share `p̂ = Σk_i / Σm_i`
/// (image `i` has `m_i` units, `k_i` of them within the threshold) is the ratio estimator's
/// between-cluster variance `N/(N−1) · Σ(k_i − p̂·m_i)² / (Σm_i)²`. It is turned into an effective
/// sample size `n_eff = p̂(1−p̂) / variance` (at most the number of units, at least the number of
/// images; the number of units when every image has the same share) and the interval is Wilson's score interval with `n_eff`. When every unit or none is
/// within the threshold, the variance is zero and `n_eff` is the number of images, the
/// conservative choice: each image then counts as one observation.
public struct ClusteredInterval: Hashable, Sendable, Codable {
    /// Lower end, percent (0–100).
    public var lower: Double
    /// Upper end, percent (0–100).
    public var upper: Double
    /// The effective sample size used.
    public var effectiveSampleSize: Double
    /// The confidence level, e.g. 0.95.
    public var confidence: Double
}

extension LayerStatistics {
    /// The interval for ``percentWithin(thresholdIndex:)`` with images as clusters (see
    /// ``ClusteredInterval``); `nil` before any unit was seen.
    ///
    /// - Parameters:
    ///   - thresholdIndex: Index into ``thresholds``; 0 is the paper's 1%.
    ///   - confidence: 0.95 (z = 1.96) or 0.99 (z = 2.576); other levels use a normal quantile.
    public func interval(forThreshold thresholdIndex: Int = 0, confidence: Double = 0.95)
        -> ClusteredInterval?
    {
        guard units > 0, images > 0 else { return nil }
        let n = Double(units)
        let k = Double(withinCounts[thresholdIndex])
        let share = k / n
        var effective = Double(images)
        if images > 1, share > 0, share < 1 {
            // Σ(k_i − p̂ m_i)² = Σk_i² − 2p̂ Σk_i m_i + p̂² Σm_i², from the integer sums.
            let squares =
                Double(withinSquared[thresholdIndex]) - 2 * share * Double(withinTimesUnits[thresholdIndex])
                + share * share * Double(unitsSquared)
            let variance = Double(images) / Double(images - 1) * max(squares, 0) / (n * n)
            effective = variance > 0 ? min(max(share * (1 - share) / variance, Double(images)), n) : n
        }
        let z = Self.normalQuantile(confidence)
        let z2 = z * z
        let centre = (share + z2 / (2 * effective)) / (1 + z2 / effective)
        let half =
            z / (1 + z2 / effective)
            * (share * (1 - share) / effective + z2 / (4 * effective * effective)).squareRoot()
        return ClusteredInterval(
            lower: 100 * max(0, centre - half), upper: 100 * min(1, centre + half),
            effectiveSampleSize: effective, confidence: confidence)
    }

    /// The two-sided standard normal quantile for a confidence level (Acklam's rational
    /// approximation, relative error below 1.2e−9).
    static func normalQuantile(_ confidence: Double) -> Double {
        let p = 1 - (1 - confidence) / 2
        let a = [
            -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
            -30.66479806614716, 2.506628277459239,
        ]
        let b = [
            -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
            -13.28068155288572,
        ]
        let c = [
            -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
            4.374664141464968, 2.938163982698783,
        ]
        let d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
        if p > 1 - 0.02425 {
            let q = (-2 * log(1 - p)).squareRoot()
            let numerator = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            return -numerator / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        return numerator / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
