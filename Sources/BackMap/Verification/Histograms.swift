import Foundation

/// A fixed-range histogram of signed values with underflow and overflow counts (the paper's
/// Figs. 6–11 show `ε` over `[−1e−4, 1e−4]`).
///
/// Counts are integers and the bins are fixed, so two histograms of the same range merge
/// exactly: ``merge(_:)`` of the histograms of two image ranges is the histogram of both.
public struct ErrorHistogram: Hashable, Sendable, Codable {
    /// Lower edge of the first bin.
    public var lower: Double
    /// Upper edge of the last bin.
    public var upper: Double
    /// Counts per bin.
    public private(set) var counts: [Int]
    /// Values below ``lower``.
    public private(set) var below = 0
    /// Values above ``upper`` (and NaN).
    public private(set) var above = 0

    /// Creates an empty histogram of `bins` equal bins.
    public init(lower: Double, upper: Double, bins: Int) {
        self.lower = lower
        self.upper = upper
        counts = Array(repeating: 0, count: max(bins, 1))
    }

    /// Counts one value.
    public mutating func add(_ value: Double) {
        if value < lower {
            below += 1
            return
        }
        guard value <= upper else {
            above += 1
            return
        }
        let position = (value - lower) / (upper - lower) * Double(counts.count)
        counts[min(Int(position), counts.count - 1)] += 1
    }

    /// Whether `other` has the same bins, so that the two can be merged.
    public func hasSameBins(as other: ErrorHistogram) -> Bool {
        lower == other.lower && upper == other.upper && counts.count == other.counts.count
    }

    /// Adds the counts of a histogram with the same bins.
    public mutating func merge(_ other: ErrorHistogram) {
        precondition(hasSameBins(as: other), "merging histograms with different bins")
        for bin in counts.indices { counts[bin] += other.counts[bin] }
        below += other.below
        above += other.above
    }
}

/// A histogram of `|ε|` on fixed logarithmic bins: ``binsPerDecade`` bins per power of ten from
/// `10^lowestExponent` to `10^highestExponent`, plus exact zeros, values below and above the
/// range, and non-finite values (an infinite `ε` or NaN).
///
/// It replaces the list of every `|ε|`: it merges exactly across image ranges and gives the
/// median to a stated resolution (``relativeResolution``), in a few kilobytes per layer.
public struct MagnitudeHistogram: Hashable, Sendable {
    /// Bins per decade.
    public static let binsPerDecade = 100
    /// The lower edge of the first bin is `10^lowestExponent`.
    public static let lowestExponent = -30
    /// The upper edge of the last bin is `10^highestExponent`.
    public static let highestExponent = 10
    /// A value reported for a bin (its geometric centre) lies within this relative distance of
    /// every value in the bin: `10^(1 / (2 · binsPerDecade)) − 1`, about 1.16%.
    public static let relativeResolution = pow(10, 0.5 / Double(binsPerDecade)) - 1

    static var binCount: Int { (highestExponent - lowestExponent) * binsPerDecade }

    /// Counts per bin (``binCount`` bins).
    public private(set) var counts = [Int](repeating: 0, count: binCount)
    /// `|ε| = 0` exactly.
    public private(set) var zero = 0
    /// `0 < |ε| < 10^lowestExponent`.
    public private(set) var below = 0
    /// `|ε| ≥ 10^highestExponent`, finite.
    public private(set) var above = 0
    /// Infinite `|ε|` or NaN.
    public private(set) var nonFinite = 0

    /// Creates an empty histogram.
    public init() {}

    /// Number of values counted.
    public var total: Int { counts.reduce(zero + below + above + nonFinite, +) }

    /// Counts one magnitude (`NaN` counts as non-finite).
    public mutating func add(_ magnitude: Double) {
        guard magnitude.isFinite else {
            nonFinite += 1
            return
        }
        if magnitude == 0 {
            zero += 1
            return
        }
        let position = (log10(magnitude) - Double(Self.lowestExponent)) * Double(Self.binsPerDecade)
        if position < 0 {
            below += 1
        } else if position >= Double(Self.binCount) {
            above += 1
        } else {
            counts[Int(position)] += 1
        }
    }

    /// Adds the counts of another histogram.
    public mutating func merge(_ other: MagnitudeHistogram) {
        for bin in counts.indices { counts[bin] += other.counts[bin] }
        zero += other.zero
        below += other.below
        above += other.above
        nonFinite += other.nonFinite
    }

    /// The geometric centre of bin `bin`.
    public static func centre(ofBin bin: Int) -> Double {
        pow(10, Double(lowestExponent) + (Double(bin) + 0.5) / Double(binsPerDecade))
    }

    /// The lower median (the value of rank `⌈n/2⌉`) to within ``relativeResolution``: `0` when it
    /// is an exact zero, the bin's geometric centre otherwise, `10^lowestExponent` or
    /// `10^highestExponent` when it lies outside the range, `.infinity` when it is non-finite.
    public var median: Double {
        let count = total
        guard count > 0 else { return 0 }
        var remaining = (count + 1) / 2
        if remaining <= zero { return 0 }
        remaining -= zero
        if remaining <= below { return pow(10, Double(Self.lowestExponent)) }
        remaining -= below
        for (bin, binCount) in counts.enumerated() {
            if remaining <= binCount { return Self.centre(ofBin: bin) }
            remaining -= binCount
        }
        if remaining <= above { return pow(10, Double(Self.highestExponent)) }
        return .infinity
    }
}

extension MagnitudeHistogram: Codable {
    private enum CodingKeys: String, CodingKey {
        case binsPerDecade, lowestExponent, highestExponent, zero, below, above, nonFinite, bins
    }

    /// The bins are written sparsely, as `[bin, count]` pairs of the non-empty bins.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.binsPerDecade, forKey: .binsPerDecade)
        try container.encode(Self.lowestExponent, forKey: .lowestExponent)
        try container.encode(Self.highestExponent, forKey: .highestExponent)
        try container.encode(zero, forKey: .zero)
        try container.encode(below, forKey: .below)
        try container.encode(above, forKey: .above)
        try container.encode(nonFinite, forKey: .nonFinite)
        let bins = counts.enumerated().filter { $0.element != 0 }.map { [$0.offset, $0.element] }
        try container.encode(bins, forKey: .bins)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let layout = [
            (CodingKeys.binsPerDecade, Self.binsPerDecade), (.lowestExponent, Self.lowestExponent),
            (.highestExponent, Self.highestExponent),
        ]
        for (key, expected) in layout {
            let found = try container.decode(Int.self, forKey: key)
            guard found == expected else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "\(key.stringValue) is \(found); this engine writes \(expected)")
            }
        }
        zero = try container.decode(Int.self, forKey: .zero)
        below = try container.decode(Int.self, forKey: .below)
        above = try container.decode(Int.self, forKey: .above)
        nonFinite = try container.decode(Int.self, forKey: .nonFinite)
        for pair in try container.decode([[Int]].self, forKey: .bins) {
            guard pair.count == 2, counts.indices.contains(pair[0]), pair[1] >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .bins, in: container,
                    debugDescription: "bin entry \(pair) is not [bin 0..<\(Self.binCount), count ≥ 0]")
            }
            counts[pair[0]] += pair[1]
        }
    }
}
