import LinearAlgebra

/// Where a unit is: the image (its index in the data file) and the unit's flat HWC index in
/// the layer's output.
public struct UnitLocation: Hashable, Sendable, Codable, Comparable {
    /// Index of the image in the data file (`nil` when the caller did not say).
    public var image: Int?
    /// Flat HWC index of the unit in its layer.
    public var unit: Int

    /// A location.
    public init(image: Int?, unit: Int) {
        self.image = image
        self.unit = unit
    }

    /// Image first, then unit; an unknown image sorts first.
    public static func < (lhs: UnitLocation, rhs: UnitLocation) -> Bool {
        (lhs.image ?? -1, lhs.unit) < (rhs.image ?? -1, rhs.unit)
    }
}

/// A largest `|ε|` and where it first occurs (smallest image, then smallest unit), so that
/// merging two image ranges gives the same answer as one pass over both.
public struct LargestError: Hashable, Sendable, Codable {
    /// `|ε|` (`.infinity` for a NaN `ε`).
    public var magnitude: Double
    /// Where it occurs (`nil` before any unit was seen).
    public var location: UnitLocation?

    /// No unit seen yet.
    public static let none = LargestError(magnitude: 0, location: nil)

    /// Keeps the larger of the two; on a tie, the earlier location.
    public mutating func merge(_ other: LargestError) {
        guard let theirs = other.location else { return }
        if other.magnitude > magnitude || location == nil
            || (other.magnitude == magnitude && theirs < location!)
        {
            self = other
        }
    }
}

/// Per-layer statistics of Eq. 16 over one or more images (Tables 3 and 4, Figs. 6–11).
///
/// Every field is an integer count, a maximum with its location, or a histogram on fixed bins,
/// so the statistics of disjoint image ranges merge exactly (``merge(_:)``): the statistics of
/// shards of a range, merged, equal bit for bit those of one pass over the range. Each call to
/// ``add(_:image:)`` counts as one image (one cluster for ``interval(forThreshold:confidence:)``).
public struct LayerStatistics: Hashable, Sendable, Codable {
    /// The thresholds on `|ε|` whose counts are kept: 1% (the paper's Table 3), then 1e−3 …
    /// 1e−6.
    public static let thresholds: [Double] = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6]

    /// Layer name.
    public var layer: String
    /// Layer index.
    public var index: Int
    /// Units per image.
    public var unitsPerImage: Int
    /// Number of units seen (over all images).
    public private(set) var units = 0
    /// Number of images (calls to ``add(_:image:)``) seen.
    public private(set) var images = 0
    /// For each of ``thresholds``, the number of units with `|ε| ≤` that threshold.
    public private(set) var withinCounts = [Int](repeating: 0, count: thresholds.count)
    /// Sums over images of (units of the image)², for the clustered intervals.
    public private(set) var unitsSquared = 0
    /// For each threshold, the sum over images of (units within the threshold)².
    public private(set) var withinSquared = [Int](repeating: 0, count: thresholds.count)
    /// For each threshold, the sum over images of (units within) × (units of the image).
    public private(set) var withinTimesUnits = [Int](repeating: 0, count: thresholds.count)
    /// Largest `|ε|` and where it occurs.
    public private(set) var largest = LargestError.none
    /// Largest `|ε|` over units whose `|c|` is at least `1e−6` times the largest `|c|` of the
    /// layer on the same image (the near-zero rest is ignored), and where it occurs.
    public private(set) var largestSignificant = LargestError.none
    /// Histogram of `ε` over `[−1e−4, 1e−4]`.
    public private(set) var histogram: ErrorHistogram
    /// Histogram of `|ε|` on logarithmic bins (the median's source).
    public private(set) var magnitudes = MagnitudeHistogram()

    /// Creates empty statistics for one layer.
    public init(layer: String, index: Int, unitsPerImage: Int, histogramBins: Int = 40) {
        self.layer = layer
        self.index = index
        self.unitsPerImage = unitsPerImage
        histogram = ErrorHistogram(lower: -1e-4, upper: 1e-4, bins: histogramBins)
    }

    /// Adds the units of one image's layer reconstruction.
    ///
    /// - Parameter image: The image's index in the data file, recorded with the largest errors.
    public mutating func add<T: BLASScalar>(_ reconstruction: LayerReconstruction<T>, image: Int? = nil) {
        let errors = reconstruction.relativeErrors
        let largestActual = reconstruction.actual.map { abs(Double($0)) }.max() ?? 0
        var significant = LargestError.none
        for (unit, (error, actual)) in zip(errors, reconstruction.actual).enumerated()
        where abs(Double(actual)) >= 1e-6 * largestActual {
            let magnitude = error.isNaN ? Double.infinity : abs(error)
            if significant.location == nil || magnitude > significant.magnitude {
                significant = LargestError(
                    magnitude: magnitude, location: UnitLocation(image: image, unit: unit))
            }
        }
        largestSignificant.merge(significant)
        add(errors, image: image)
    }

    /// Adds the relative errors of one image, in unit order.
    public mutating func add(_ errors: [Double], image: Int? = nil) {
        var within = [Int](repeating: 0, count: Self.thresholds.count)
        var worst = LargestError.none
        for (unit, error) in errors.enumerated() {
            let magnitude = error.isNaN ? Double.infinity : abs(error)
            for (position, threshold) in Self.thresholds.enumerated() where magnitude <= threshold {
                within[position] += 1
            }
            if worst.location == nil || magnitude > worst.magnitude {
                worst = LargestError(magnitude: magnitude, location: UnitLocation(image: image, unit: unit))
            }
            magnitudes.add(magnitude)
            histogram.add(error)
        }
        largest.merge(worst)
        units += errors.count
        images += 1
        unitsSquared += errors.count * errors.count
        for position in within.indices {
            withinCounts[position] += within[position]
            withinSquared[position] += within[position] * within[position]
            withinTimesUnits[position] += within[position] * errors.count
        }
    }

    /// Adds the statistics of the same layer over other images.
    ///
    /// - Throws: ``BackMapError`` when the two describe different layers or histogram bins.
    public mutating func merge(_ other: LayerStatistics) throws {
        guard other.layer == layer, other.index == index, other.unitsPerImage == unitsPerImage,
            histogram.hasSameBins(as: other.histogram)
        else {
            throw BackMapError.invalidArgument(
                "cannot merge statistics of layer \(other.layer) (#\(other.index), "
                    + "\(other.unitsPerImage) units) into \(layer) (#\(index), \(unitsPerImage) units)")
        }
        units += other.units
        images += other.images
        unitsSquared += other.unitsSquared
        for position in withinCounts.indices {
            withinCounts[position] += other.withinCounts[position]
            withinSquared[position] += other.withinSquared[position]
            withinTimesUnits[position] += other.withinTimesUnits[position]
        }
        largest.merge(other.largest)
        largestSignificant.merge(other.largestSignificant)
        histogram.merge(other.histogram)
        magnitudes.merge(other.magnitudes)
    }

    /// Number of `|ε| ≤ 1%`.
    public var withinOnePercentCount: Int { withinCounts[0] }

    /// Percentage (0–100) of units with `|ε| ≤ 1%`.
    public var withinOnePercent: Double { percentWithin(thresholdIndex: 0) }

    /// Percentage (0–100) of units with `|ε| ≤ thresholds[thresholdIndex]`.
    public func percentWithin(thresholdIndex: Int) -> Double {
        units == 0 ? 0 : 100 * Double(withinCounts[thresholdIndex]) / Double(units)
    }

    /// Largest `|ε|`.
    public var maxAbsError: Double { largest.magnitude }

    /// Largest `|ε|` over the significant units (see ``largestSignificant``).
    public var maxAbsErrorSignificant: Double { largestSignificant.magnitude }

    /// Median `|ε|` from ``magnitudes``, to within ``MagnitudeHistogram/relativeResolution``.
    public var medianAbsError: Double { magnitudes.median }
}
