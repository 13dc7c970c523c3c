import LinearAlgebra

/// The effective hypersurface `H = [H^I; H^b]` of one unit (or one sum of units) and the
/// reconstruction it gives.
///
/// ```swift
/// let h = try network.backMap(x, mode: .rm2(layer: 3, channel: 5, row: 8, column: 8))
/// h.actual, h.reconstructed, h.relativeError  // c, ĉ, ε (Eq. 16)
/// h.image[8, 8, 0]                            // H^I at row 8, column 8, red
/// h.biasByLayer                               // H^b grouped by the layer of each bias
/// ```
public struct HyperSurface<T: BLASScalar>: Sendable {
    /// The modes whose hypersurfaces were added into this one (one mode for a single back-map).
    public var terms: [Mode]
    /// The name of the mapped layer (`conv3`, `fc`).
    public var layerName: String
    /// `H^I`, shaped like the image.
    public var image: FeatureMap<T>
    /// `H^b`, one coefficient per entry of `x_b` (see ``FoldedNetwork/biasEntries``).
    public var bias: [T]
    /// `c`: the value the network computes.
    public var actual: T
    /// `ĉ = ⟨x|H^I⟩ + ⟨x_b|H^b⟩`.
    public var reconstructed: T
    /// `⟨x|H^I⟩`, the image's share of ``reconstructed``.
    public var imageContribution: T
    /// `⟨x_b|H^b⟩`, the biases' share of ``reconstructed``.
    public var biasContribution: T
    /// Whether ``actual`` and ``bias`` include the unit's own bias.
    public var includesOwnBias: Bool
    /// The `k` of the evaluation point.
    public var scale: T
    /// The input `x` the hypersurface belongs to.
    public var input: FeatureMap<T>
    /// The bias vector `x_b` of the network (``FoldedNetwork/biasValues``).
    public var biasValues: [T]
    /// Where each entry of `x_b` comes from (``FoldedNetwork/biasEntries``).
    public var biasEntries: [BiasEntry]
    /// The part of the image the mapped unit(s) can see: the receptive field for RM2 and
    /// RM4, the whole image otherwise. `H^I` is zero outside it.
    public var receptiveField: ImageWindow

    /// What was mapped: the first (for a single back-map the only) term.
    ///
    /// ```swift
    /// print(h.mode)  // RM2(layer 3, channel 5, row 8, column 8)
    /// ```
    public var mode: Mode { terms[0] }

    /// The shape of ``image``.
    public var imageShape: Shape { image.shape }

    /// Eq. 16: `(ĉ − c) / c`, with `c = 0` replaced by the smallest positive normal float32.
    ///
    /// ```swift
    /// let ok = abs(h.relativeError) < 1e-12
    /// ```
    public var relativeError: Double {
        RelativeError.of(reconstructed: Double(reconstructed), actual: Double(actual))
    }

    /// `max |H − H'| / max |H|` over all `d_in` entries of `[H^I; H^b]`: how far `other` is
    /// from this hypersurface, relative to its largest entry.
    ///
    /// ```swift
    /// let gap = rm1.relativeDistance(to: try rm2s.sum())  // RM1 = Σ_s RM2, at rounding level
    /// ```
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func relativeDistance(to other: HyperSurface) -> T {
        let whole = image.values + bias
        let parts = other.image.values + other.bias
        let largest = whole.map(abs).max() ?? 1
        let difference = zip(whole, parts).map { abs($0 - $1) }.max() ?? 0
        return difference / largest
    }

    /// The sum of two hypersurfaces of the same network and image (Eqs. 11–13 add modes).
    ///
    /// ```swift
    /// let rm2 = rm4j0 + rm4j1  // two in-channels' shares of one unit
    /// ```
    public static func + (lhs: HyperSurface, rhs: HyperSurface) -> HyperSurface {
        precondition(
            lhs.image.shape == rhs.image.shape && lhs.bias.count == rhs.bias.count,
            "HyperSurface: only hypersurfaces of the same network can be added")
        var sum = lhs
        sum.terms += rhs.terms
        sum.image = lhs.image + rhs.image
        sum.bias = zip(lhs.bias, rhs.bias).map(+)
        sum.actual += rhs.actual
        sum.reconstructed += rhs.reconstructed
        sum.imageContribution += rhs.imageContribution
        sum.biasContribution += rhs.biasContribution
        sum.receptiveField = lhs.receptiveField.union(rhs.receptiveField)
        return sum
    }
}

extension Array {
    /// `Σ` of hypersurfaces, added in order.
    ///
    /// ```swift
    /// let rm2s = try network.backMaps(x, modes: positions.map { .rm2(layer: 4, channel: 7, row: $0.row, column: $0.column) })
    /// let rm1 = try rm2s.sum()
    /// ```
    /// - Throws: ``BackMapError`` for an empty array.
    public func sum<T>() throws -> HyperSurface<T> where Element == HyperSurface<T> {
        guard let first else {
            throw BackMapError.invalidArgument("the sum of no hypersurfaces is undefined")
        }
        return dropFirst().reduce(first, +)
    }
}

/// A rectangle of image rows and columns (a receptive field).
///
/// ```swift
/// let field = h.receptiveField  // rows 2..<20, columns 5..<23 for a conv3 unit of VGG7
/// ```
public struct ImageWindow: Hashable, Sendable, CustomStringConvertible {
    /// The rows, top to bottom.
    public var rows: Range<Int>
    /// The columns, left to right.
    public var columns: Range<Int>

    /// Creates a window.
    public init(rows: Range<Int>, columns: Range<Int>) {
        self.rows = rows
        self.columns = columns
    }

    /// The whole of a map of shape `shape`.
    ///
    /// ```swift
    /// let everything = ImageWindow.whole(network.inputShape)
    /// ```
    public static func whole(_ shape: Shape) -> ImageWindow {
        ImageWindow(rows: 0..<shape.height, columns: 0..<shape.width)
    }

    /// Height × width.
    public var size: (height: Int, width: Int) { (rows.count, columns.count) }

    /// The smallest window containing both.
    ///
    /// ```swift
    /// let both = a.receptiveField.union(b.receptiveField)
    /// ```
    public func union(_ other: ImageWindow) -> ImageWindow {
        ImageWindow(
            rows: Swift.min(
                rows.lowerBound, other.rows.lowerBound)..<Swift.max(
                    rows.upperBound, other.rows.upperBound),
            columns: Swift.min(
                columns.lowerBound, other.columns.lowerBound)..<Swift.max(
                    columns.upperBound, other.columns.upperBound))
    }

    /// `rows a–b, columns c–d (h×w)`, inclusive bounds.
    public var description: String {
        "rows \(rows.lowerBound)–\(rows.upperBound - 1), columns \(columns.lowerBound)–"
            + "\(columns.upperBound - 1) (\(rows.count)×\(columns.count))"
    }
}

extension FoldedNetwork {
    /// The image window that the unit at `row`, `column` of layer `layer` depends on
    /// (clipped to the image).
    ///
    /// ```swift
    /// let field = network.receptiveField(layer: 3, row: 8, column: 8)  // 15×15 in VGG7
    /// ```
    public func receptiveField(layer: Int, row: Int, column: Int) -> ImageWindow {
        guard layers.indices.contains(layer), layers[layer].kind == .convolution else {
            return .whole(inputShape)
        }
        let region = neededRegions(
            from: layers[layer].node, at: Region(rows: row..<(row + 1), columns: column..<(column + 1)))[0]
        return region.map { ImageWindow(rows: $0.rows, columns: $0.columns) } ?? .whole(inputShape)
    }

    func receptiveField(of request: BackMapRequest) -> ImageWindow {
        switch request.mode {
        case .rm2(let layer, _, let row, let column), .rm4(let layer, _, _, let row, let column):
            receptiveField(layer: layer, row: row, column: column)
        default:
            .whole(inputShape)
        }
    }
}
